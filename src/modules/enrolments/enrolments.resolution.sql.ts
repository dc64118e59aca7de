import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';

/**
 * Similarity (pg_trgm, on normalised names) from which a listed name and a DTKS name with the
 * same birth date in the same regency are taken as one person when no NIK links them.
 */
export const RESOLUTION_NAME_SIMILARITY = 0.8;

/**
 * Identity resolution (CONTRACT.md section 9), one set-based statement: an enrolment's listed
 * identity resolves to the DTKS person with the same NIK (the most similar name when several
 * share it), else to a person with the same birth date and the same or a very similar
 * normalised name in the same regency, else to nobody. The household follows the person.
 * Only rows whose resolution changes are written, so re-running it is a no-op.
 *
 * Written as joins with DISTINCT ON rather than two correlated subqueries per enrolment, so
 * the planner can hash-join a whole import's enrolments with the persons table at once.
 *
 * `where` narrows the enrolments considered (alias `e`; an import batch's regencies, say).
 */
export async function resolveEnrolments(database: Database, where: SQL = sql`true`, executor?: Executor): Promise<number> {
  const rows = await database.execute<{ id: string }>(resolveEnrolmentsStatement(where), executor);
  return rows.length;
}

/** The statement of resolveEnrolments (returns the ids it changed), for callers with their own connection. */
export function resolveEnrolmentsStatement(where: SQL): SQL {
  return sql`
    with scope as materialized (
      select e.id, e.nik, e.name_norm, e.birth_date, e.regency_code, e.person_id, e.household_id
      from enrolments e
      where ${where}
    ), ${resolutionSteps}, target as (
      select s.id, coalesce(n.person_id, m.person_id) as person_id, coalesce(n.household_id, m.household_id) as household_id
      from scope s
      left join by_nik n on n.id = s.id
      left join by_name m on m.id = s.id
      where s.person_id is distinct from coalesce(n.person_id, m.person_id)
         or s.household_id is distinct from coalesce(n.household_id, m.household_id)
    )
    update enrolments e
       set person_id = t.person_id, household_id = t.household_id, updated_at = now()
      from target t
     where e.id = t.id
    returning e.id`;
}

/**
 * The two matching steps as CTEs `by_nik` and `by_name` (id, person_id, household_id) over a
 * preceding CTE `scope` (id, nik, name_norm, birth_date, regency_code): shared by the
 * re-resolution above and by the enrolments import, which resolves the rows it stores in the
 * same statement that stores them.
 */
export const resolutionSteps = sql`by_nik as (
      select distinct on (s.id) s.id, p.id as person_id, p.household_id
      from scope s join persons p on p.nik = s.nik
      where s.nik <> ''
      order by s.id, similarity(coalesce(p.name_norm, ''), coalesce(s.name_norm, '')) desc, p.id
    ), by_name as (
      select distinct on (s.id) s.id, p.id as person_id, p.household_id
      from scope s
      join persons p on p.regency_code = s.regency_code and p.birth_date = s.birth_date
      where coalesce(s.name_norm, '') <> ''
        and not exists (select 1 from by_nik n where n.id = s.id)
        and (p.name_norm = s.name_norm or similarity(p.name_norm, s.name_norm) >= ${RESOLUTION_NAME_SIMILARITY})
      order by s.id, similarity(p.name_norm, s.name_norm) desc, p.id
    )`;
