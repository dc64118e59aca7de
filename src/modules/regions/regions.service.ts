import { and, asc, eq, inArray, like, or, type SQL } from 'drizzle-orm';
import { regions } from '../../../schema/index.js';
import { codeScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { assertRegionCodeArg } from '../../lib/arguments.js';
import { BadUserInputError } from '../../lib/errors.js';
import type { RegionLevel } from '../../graphql/enums.js';
import type { Region } from './regions.types.js';

/** More regions than this in one list means the caller should narrow with parentCode. */
export const MAX_REGION_LIST = 10_000;

const columns = { code: regions.code, name: regions.name, level: regions.level, parentCode: regions.parentCode };

/**
 * Regions a viewer may see: those inside its scope, and the ancestors of its scope (so that
 * `parent` chains and breadcrumbs work). Region names are public, but listing stays scoped.
 */
export function visibleRegions(viewer: Viewer): SQL {
  const ancestors = new Set<string>();
  for (const prefix of viewer.regions) {
    const parts = prefix.split('.');
    for (let i = 1; i < parts.length; i++) ancestors.add(parts.slice(0, i).join('.'));
  }
  const inside = codeScope(viewer, regions.code);
  return ancestors.size ? (or(inside, inArray(regions.code, [...ancestors])) as SQL) : inside;
}

export class RegionsService {
  constructor(private readonly database: Database) {}

  async byCodes(viewer: Viewer, codes: readonly string[]): Promise<Region[]> {
    return this.database.db
      .select(columns)
      .from(regions)
      .where(and(inArray(regions.code, [...codes]), visibleRegions(viewer)));
  }

  /**
   * parentCode alone: its children. level alone: every region of that level in scope.
   * Both: the descendants of parentCode at that level. Neither: the provinces.
   */
  async list(viewer: Viewer, args: { parentCode?: string | null; level?: RegionLevel | null }): Promise<Region[]> {
    const { parentCode, level } = args;
    if (parentCode != null) assertRegionCodeArg(parentCode, 'parentCode');
    const conditions: SQL[] = [visibleRegions(viewer)];
    if (parentCode != null && level != null) {
      conditions.push(like(regions.code, `${parentCode}.%`), eq(regions.level, level));
    } else if (parentCode != null) {
      conditions.push(eq(regions.parentCode, parentCode));
    } else {
      conditions.push(eq(regions.level, level ?? 'PROVINCE'));
    }
    const rows = await this.database.db
      .select(columns)
      .from(regions)
      .where(and(...conditions))
      .orderBy(asc(regions.code))
      .limit(MAX_REGION_LIST + 1);
    if (rows.length > MAX_REGION_LIST) {
      throw new BadUserInputError(
        `regions would return more than ${MAX_REGION_LIST} rows; narrow it with parentCode (for example a regency code)`,
        'parentCode',
      );
    }
    return rows;
  }
}

