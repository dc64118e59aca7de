import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { ENROLMENT_SPEC, planColumns } from '../../graphql/read-plan.js';
import { Household } from '../households/households.types.js';
import { Person } from '../persons/persons.types.js';
import { assertKnownProgram } from '../programs/programs.service.js';
import { Program } from '../programs/programs.types.js';
import { Region } from '../regions/regions.types.js';
import { Enrolment, EnrolmentConnection, EnrolmentFilter } from './enrolments.types.js';

@Resolver(() => Enrolment)
export class EnrolmentsResolver {
  @Query(() => EnrolmentConnection)
  async enrolments(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => EnrolmentFilter, { nullable: true }) filter?: EnrolmentFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    await assertKnownProgram(ctx.loaders.programByCode, filter?.program, 'filter.program');
    // One statement for the page and everything planned below its nodes (src/graphql/read-plan.ts).
    return ctx.services.enrolments.list(ctx.viewer, { filter, first, after }, { columns: planColumns(ctx, info, ENROLMENT_SPEC, 'e', ['edges', 'node']) });
  }

  @FieldResolver(() => Program)
  program(@Root() enrolment: Enrolment, @Ctx() ctx: Context) {
    return ctx.loaders.programByCode.load(enrolment.programCode);
  }

  @FieldResolver(() => Region, { description: 'The village where the benefit is delivered.' })
  region(@Root() enrolment: Enrolment, @Ctx() ctx: Context) {
    return ctx.loaders.regionByCode.load(enrolment.villageCode);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The DTKS person the listed identity resolves to; null when none.' })
  person(@Root() enrolment: Enrolment, @Ctx() ctx: Context) {
    return enrolment.personId == null ? null : ctx.loaders.personById.load(enrolment.personId);
  }

  @FieldResolver(() => Household, { nullable: true })
  household(@Root() enrolment: Enrolment, @Ctx() ctx: Context) {
    return enrolment.householdId == null ? null : ctx.loaders.householdById.load(enrolment.householdId);
  }
}
