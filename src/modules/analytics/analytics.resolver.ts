import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { RegionLevel } from '../../graphql/enums.js';
import { NotFoundError } from '../../lib/errors.js';
import { assertKnownProgram } from '../programs/programs.service.js';
import { Program } from '../programs/programs.types.js';
import { Region } from '../regions/regions.types.js';
import { Coverage, StatDimension, StatFilter, StatMeasure, StatRow } from './analytics.types.js';

@Resolver(() => Coverage)
export class AnalyticsResolver {
  @Query(() => [StatRow], {
    description: 'Counts of PERSONS, HOUSEHOLDS or ENROLMENTS in the caller\'s scope, grouped by the dimensions given (CONTRACT.md section 8).',
  })
  async stats(
    @Arg('measure', () => StatMeasure) measure: StatMeasure,
    @Arg('groupBy', () => [StatDimension]) groupBy: StatDimension[],
    @Ctx() ctx: Context,
    @Arg('filter', () => StatFilter, { nullable: true }) filter?: StatFilter | null,
  ): Promise<StatRow[]> {
    await assertKnownProgram(ctx.loaders.programByCode, filter?.program, 'filter.program');
    return ctx.services.analytics.stats(ctx.viewer, { measure, groupBy, filter, now: ctx.now, minCell: ctx.config.statsMinCell });
  }

  @Query(() => [Coverage], {
    description: 'Per region at `level` inside `regionCode` (or the caller\'s scope): households eligible for, enrolled in and missed by a program.',
  })
  async coverage(
    @Arg('program', () => String) program: string,
    @Arg('level', () => RegionLevel) level: RegionLevel,
    @Ctx() ctx: Context,
    @Arg('regionCode', () => String, { nullable: true }) regionCode?: string | null,
    @Arg('eligibleDesilMax', () => Int, { nullable: true }) eligibleDesilMax?: number | null,
  ): Promise<Coverage[]> {
    await assertKnownProgram(ctx.loaders.programByCode, program, 'program');
    return ctx.services.analytics.coverage(ctx.viewer, { program, level, regionCode, eligibleDesilMax, minCell: ctx.config.statsMinCell });
  }

  @FieldResolver(() => Region)
  async region(@Root() row: Coverage, @Ctx() ctx: Context): Promise<Region> {
    const region = await ctx.loaders.regionByCode.load(row.regionCode);
    // Rows are placed in the viewer's scope, whose regions (and their ancestors) are visible.
    if (!region) throw new NotFoundError(`region ${row.regionCode} is not visible`);
    return region;
  }

  @FieldResolver(() => Program)
  async program(@Root() row: Coverage, @Ctx() ctx: Context): Promise<Program> {
    const program = await ctx.loaders.programByCode.load(row.programCode);
    if (!program) throw new NotFoundError(`program ${row.programCode} no longer exists`);
    return program;
  }
}
