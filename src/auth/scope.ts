import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Viewer } from './viewer.js';

/**
 * The region scope as a SQL condition: a row is visible when its village code equals one of the
 * viewer's prefixes or starts with a prefix followed by a dot (CONTRACT.md section 4).
 *
 * SECURITY: every statement that reads registry rows for a viewer must include this condition.
 * It must never widen: an empty scope matches nothing. Prefixes were validated against
 * REGION_PREFIX (digits and dots only) when the credentials were read, and they are still
 * passed as parameters.
 *
 * The regency column (the shard key) is constrained too, so the planner can use the
 * (regency_code, …) indexes and a sharded cluster can route the query.
 */
export function regionScope(viewer: Pick<Viewer, 'regions'>, village: SQLWrapper, regency: SQLWrapper): SQL {
  if (viewer.regions.includes('*')) return sql`true`;
  if (viewer.regions.length === 0) return sql`false`;
  const conditions = viewer.regions.map((prefix) => {
    if (prefix.length === 2) return sql`${regency} like ${`${prefix}.%`}`;
    if (prefix.length === 5) return sql`${regency} = ${prefix}`;
    return sql`(${regency} = ${prefix.slice(0, 5)} and (${village} = ${prefix} or ${village} like ${`${prefix}.%`}))`;
  });
  return sql`(${sql.join(conditions, sql` or `)})`;
}

/** Scope for a table that only has a region code column (regions themselves). */
export function codeScope(viewer: Pick<Viewer, 'regions'>, code: SQLWrapper): SQL {
  if (viewer.regions.includes('*')) return sql`true`;
  if (viewer.regions.length === 0) return sql`false`;
  return sql`(${sql.join(
    viewer.regions.map((prefix) => sql`(${code} = ${prefix} or ${code} like ${`${prefix}.%`})`),
    sql` or `,
  )})`;
}

/**
 * The region scope of a table aliased `alias` in raw SQL that has village_code and regency_code
 * columns (households h, persons p, enrolments e, referrals r). `alias` is a literal written in
 * code, never input.
 */
export function rowScope(viewer: Pick<Viewer, 'regions'>, alias: string): SQL {
  return regionScope(viewer, sql.raw(`${alias}.village_code`), sql.raw(`${alias}.regency_code`));
}

/**
 * The scope of enrolment rows: the region of the village where the benefit is delivered and,
 * for a PROGRAM_MANAGER, only the programs it manages (CONTRACT.md section 4).
 * SECURITY: every statement reading enrolments for a viewer must include this, nested reads and
 * EXISTS filters too.
 */
export function enrolmentScope(viewer: Pick<Viewer, 'regions' | 'role' | 'programs'>, alias: string): SQL {
  const region = rowScope(viewer, alias);
  if (viewer.role !== 'PROGRAM_MANAGER') return region;
  if (viewer.programs.length === 0) return sql`false`;
  return sql`(${region} and ${sql.raw(alias)}.program_code in ${[...viewer.programs]})`;
}
