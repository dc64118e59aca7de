import type { Role, Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import type { RegionLevel } from '../../graphql/enums.js';
import { assertIntRange, assertOrdered, assertProgramCodeShape, assertRegionCodeArg } from '../../lib/arguments.js';
import { BadUserInputError, ForbiddenError, quote } from '../../lib/errors.js';
import { MEASURES_OF, STAT_DIMENSIONS, type StatDimension, type StatMeasure } from './analytics.dimensions.js';
import { CODE_LENGTH, coverageSql, statsSql, type DisclosureControl } from './analytics.sql.js';
import type { Coverage, StatFilter, StatRow } from './analytics.types.js';

/** More groups than this in one answer: the caller should narrow the region or drop a dimension. */
export const MAX_STAT_ROWS = 50_000;
/** Default eligibility of `coverage`: deciles 1 to 4 (the DTKS targeting convention of PKH and BPNT). */
export const DEFAULT_ELIGIBLE_DESIL_MAX = 4;

/** Roles that may read stats and coverage (CONTRACT.md section 4); the shield decides first. */
const ANALYTICS_ROLES: ReadonlySet<Role> = new Set(['ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR', 'PROGRAM_MANAGER', 'ANALYST']);
/**
 * Of those, the roles with identity access, who get exact counts. Any other (ANALYST, or a role
 * added later and not listed here) gets suppression and perturbation: deny by default.
 */
const EXACT_COUNT_ROLES: ReadonlySet<Role> = new Set(['ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR', 'PROGRAM_MANAGER']);

const LEVELS: readonly RegionLevel[] = ['PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE'];
const levelOfCode = (code: string): RegionLevel => LEVELS[code.split('.').length - 1];

interface StatsRowData {
  [column: string]: string | number | boolean | null;
  count: number | null;
  suppressed: boolean;
}

/**
 * Bappeda analytics (CONTRACT.md section 8). Arguments are checked before any SQL runs; each
 * call is then one statement (analytics.sql.ts) whose rows are the answer.
 */
export class AnalyticsService {
  constructor(private readonly database: Database) {}

  /** Null for roles with identity access (exact counts), else the disclosure control to apply. */
  static disclosureFor(viewer: Viewer, minCell: number): DisclosureControl | null {
    return EXACT_COUNT_ROLES.has(viewer.role) ? null : { minCell };
  }

  private assertAllowed(viewer: Viewer) {
    if (!ANALYTICS_ROLES.has(viewer.role)) throw new ForbiddenError(`stats and coverage are not available to role ${viewer.role}`);
  }

  /** Every rule of section 8 on measure, groupBy and filter; BAD_USER_INPUT naming what is wrong. */
  static checkStatsArgs(measure: StatMeasure, groupBy: readonly StatDimension[], filter: StatFilter | null | undefined): void {
    if (groupBy.length === 0) {
      throw new BadUserInputError(`groupBy must name at least one dimension (${STAT_DIMENSIONS.join(', ')})`, 'groupBy');
    }
    const seen = new Set<StatDimension>();
    for (const dimension of groupBy) {
      if (seen.has(dimension)) throw new BadUserInputError(`groupBy names ${dimension} more than once`, 'groupBy');
      seen.add(dimension);
      const measures = MEASURES_OF[dimension];
      if (!measures.includes(measure)) {
        throw new BadUserInputError(`${dimension} cannot group ${measure}: it groups ${measures.join(' and ')} only`, 'groupBy');
      }
    }
    if (filter?.regionCode != null) assertRegionCodeArg(filter.regionCode, 'filter.regionCode');
    if (filter?.program != null) assertProgramCodeShape(filter.program, 'filter.program');
    assertIntRange(filter?.desilMin, 1, 10, 'filter.desilMin');
    assertIntRange(filter?.desilMax, 1, 10, 'filter.desilMax');
    assertOrdered(filter?.desilMin, filter?.desilMax, 'filter.desilMin', 'filter.desilMax');
  }

  async stats(viewer: Viewer, args: { measure: StatMeasure; groupBy: readonly StatDimension[]; filter?: StatFilter | null; now: Date; minCell: number }): Promise<StatRow[]> {
    this.assertAllowed(viewer);
    AnalyticsService.checkStatsArgs(args.measure, args.groupBy, args.filter);
    const rows = await this.database.execute<StatsRowData>(statsSql(viewer, {
      measure: args.measure,
      groupBy: args.groupBy,
      filter: args.filter ?? {},
      now: args.now,
      disclosure: AnalyticsService.disclosureFor(viewer, args.minCell),
      limit: MAX_STAT_ROWS + 1,
    }));
    if (rows.length > MAX_STAT_ROWS) {
      throw new BadUserInputError(
        `stats would return more than ${MAX_STAT_ROWS} groups; narrow it with filter.regionCode or group by fewer dimensions`, 'groupBy');
    }
    return rows.map((row) => ({
      keys: args.groupBy.map((dimension, i) => ({ dimension, value: row[`d${i}`] as string | null })),
      count: row.count,
      suppressed: row.suppressed,
    }));
  }

  static checkCoverageArgs(args: { program: string; level: RegionLevel; regionCode?: string | null; eligibleDesilMax?: number | null }): void {
    assertProgramCodeShape(args.program, 'program');
    assertIntRange(args.eligibleDesilMax, 1, 10, 'eligibleDesilMax');
    if (args.regionCode != null) {
      assertRegionCodeArg(args.regionCode, 'regionCode');
      const inside = levelOfCode(args.regionCode);
      if (CODE_LENGTH[inside] > CODE_LENGTH[args.level]) {
        throw new BadUserInputError(
          `level ${args.level} is above regionCode ${quote(args.regionCode)} (a ${inside}): ask for ${inside} or a level below it`, 'level');
      }
    }
  }

  async coverage(
    viewer: Viewer,
    args: { program: string; level: RegionLevel; regionCode?: string | null; eligibleDesilMax?: number | null; minCell: number },
  ): Promise<Coverage[]> {
    this.assertAllowed(viewer);
    AnalyticsService.checkCoverageArgs(args);
    // Another program's enrolments do not exist for a PROGRAM_MANAGER: nothing to cover.
    if (viewer.role === 'PROGRAM_MANAGER' && !viewer.programs.includes(args.program)) return [];
    const rows = await this.database.execute<Omit<Coverage, 'programCode'>>(coverageSql(viewer, {
      program: args.program,
      level: args.level,
      regionCode: args.regionCode ?? null,
      eligibleDesilMax: args.eligibleDesilMax ?? DEFAULT_ELIGIBLE_DESIL_MAX,
      disclosure: AnalyticsService.disclosureFor(viewer, args.minCell),
    }));
    return rows.map((row) => ({ ...row, programCode: args.program }));
  }
}
