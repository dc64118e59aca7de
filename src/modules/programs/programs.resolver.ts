import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { Program } from './programs.types.js';

@Resolver(() => Program)
export class ProgramsResolver {
  @Query(() => [Program])
  programs(@Ctx() ctx: Context): Promise<Program[]> {
    return ctx.services.programs.list();
  }

  @FieldResolver(() => [Program])
  exclusiveWith(@Root() program: Program, @Ctx() ctx: Context): Promise<Program[]> {
    return ctx.loaders.exclusiveWith.load(program.code);
  }
}
