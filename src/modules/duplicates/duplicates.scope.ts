import { sql, type SQL } from 'drizzle-orm';
import { enrolmentScope, rowScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';

/**
 * Who sees a duplicate candidate: a candidate is visible when at least one of its enrolments is
 * (enrolmentScope: the village where the benefit is delivered and, for a PROGRAM_MANAGER, its
 * programs), and it lists only those enrolments (CONTRACT.md section 4). A candidate whose
 * enrolments are all out of scope behaves as one that does not exist.
 *
 * SECURITY: every statement that reads candidates for a viewer goes through candidateVisible.
 */

/** The scope of a scan or a list: region prefixes (['*'] = all) and programs (null = all). */
export interface DuplicateScope {
  regions: readonly string[];
  programs: readonly string[] | null;
}

/** The viewer's own scope as a DuplicateScope. */
export const viewerScope = (viewer: Viewer): DuplicateScope => ({
  regions: viewer.regions,
  programs: viewer.role === 'PROGRAM_MANAGER' ? viewer.programs : null,
});

/** Enrolment `alias` is inside `scope`. */
export function enrolmentInScope(scope: DuplicateScope, alias: string): SQL {
  const region = rowScope(scope, alias);
  if (scope.programs == null) return region;
  if (scope.programs.length === 0) return sql`false`;
  return sql`(${region} and ${sql.raw(alias)}.program_code in ${[...scope.programs]})`;
}

/**
 * A cheap necessary condition on the candidate row itself (indexed arrays: GIN on
 * regency_codes and program_codes), so a list starts from the viewer's regencies and programs
 * instead of probing every candidate; the exact condition is candidateVisible.
 */
export function candidatePrefilter(scope: DuplicateScope, alias = 'c'): SQL {
  const conditions: SQL[] = [];
  if (!scope.regions.includes('*')) {
    const regencies = scope.regions.filter((p) => p.length >= 5).map((p) => p.slice(0, 5));
    const provinces = scope.regions.filter((p) => p.length === 2).map((p) => `${p}.%`);
    const provinceRegencies = provinces.length
      ? sql` || coalesce((select array_agg(g.code::text) from regions g where g.level = 'REGENCY' and g.code like any (${`{${provinces.join(',')}}`}::text[])), '{}')`
      : sql``;
    conditions.push(sql`${sql.raw(alias)}.regency_codes && (${`{${regencies.join(',')}}`}::text[]${provinceRegencies})`);
  }
  if (scope.programs != null) conditions.push(sql`${sql.raw(alias)}.program_codes && ${`{${scope.programs.join(',')}}`}::text[]`);
  return conditions.length ? sql`(${sql.join(conditions, sql` and `)})` : sql`true`;
}

/**
 * Candidate `alias` has an enrolment inside `scope` (and inside the viewer's own scope).
 * `offset 0` keeps the EXISTS a per-candidate probe (two primary-key lookups): otherwise the
 * planner may turn it into a semi-join of every candidate's enrolments with the whole enrolments
 * table, ~1 s on 1M enrolments for a page that needs 100 probes.
 */
export function candidateVisible(viewer: Viewer, scope: DuplicateScope | null, alias = 'c'): SQL {
  return sql`exists (
    select 1 from duplicate_candidate_enrolments dm join enrolments de on de.id = dm.enrolment_id
    where dm.candidate_id = ${sql.raw(alias)}.id and ${enrolmentScope(viewer, 'de')}
      ${scope ? sql`and ${enrolmentInScope(scope, 'de')}` : sql``}
    offset 0)`;
}

/**
 * The intersection of the viewer's region prefixes with a region argument: the argument when it
 * lies inside a prefix, the prefixes that lie inside the argument otherwise; empty when the two
 * do not meet (the caller then gets FORBIDDEN).
 */
export function narrowRegions(regions: readonly string[], code: string | null | undefined): string[] {
  if (code == null) return [...regions];
  const inside = (a: string, b: string) => b === '*' || a === b || a.startsWith(`${b}.`);
  const result = new Set<string>();
  for (const prefix of regions) {
    if (inside(code, prefix)) result.add(code);
    else if (inside(prefix, code)) result.add(prefix);
  }
  return [...result];
}

/** Whether scope `outer` covers scope `inner` (every enrolment of inner is in outer). */
export function covers(outer: DuplicateScope, inner: DuplicateScope): boolean {
  const programsCovered = outer.programs == null || (inner.programs != null && inner.programs.every((p) => outer.programs!.includes(p)));
  const regionsCovered = inner.regions.every((r) => outer.regions.some((o) => o === '*' || r === o || r.startsWith(`${o}.`)));
  return programsCovered && regionsCovered;
}
