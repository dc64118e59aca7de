import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { RegionLevel } from '../../graphql/enums.js';
import { assertRegionCodeArg } from '../../lib/arguments.js';
import { Region } from './regions.types.js';

@Resolver(() => Region)
export class RegionsResolver {
  @Query(() => Region, { nullable: true })
  async region(@Arg('code', () => String) code: string, @Ctx() ctx: Context): Promise<Region | null> {
    assertRegionCodeArg(code, 'code');
    return ctx.loaders.regionByCode.load(code);
  }

  @Query(() => [Region])
  regions(
    @Ctx() ctx: Context,
    @Arg('parentCode', () => String, { nullable: true }) parentCode?: string | null,
    @Arg('level', () => RegionLevel, { nullable: true }) level?: RegionLevel | null,
  ): Promise<Region[]> {
    return ctx.services.regions.list(ctx.viewer, { parentCode, level });
  }

  @FieldResolver(() => Region, { nullable: true })
  parent(@Root() region: Region, @Ctx() ctx: Context): Promise<Region | null> | null {
    return region.parentCode ? ctx.loaders.regionByCode.load(region.parentCode) : null;
  }
}
