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
 * `where` narrows the enrolments considered (an import batch's regencies, say); all by default.
 */
export async function resolveEnrolments(database: Database, where: SQL = sql`true`, executor?: Executor): Promise<number> {
  const rows = await database.execute<{ id: string }>(sql`
    with resolved as (
      select e.id,
        coalesce(
          (select p.id from persons p
            where e.nik is not null and e.nik <> '' and p.nik = e.nik
            order by similarity(coalesce(p.name_norm, ''), coalesce(e.name_norm, '')) desc, p.id
            limit 1),
          (select p.id from persons p
            where e.birth_date is not null and coalesce(e.name_norm, '') <> ''
              and p.regency_code = e.regency_code and p.birth_date = e.birth_date
              and (p.name_norm = e.name_norm or similarity(p.name_norm, e.name_norm) >= ${RESOLUTION_NAME_SIMILARITY})
            order by similarity(p.name_norm, e.name_norm) desc, p.id
            limit 1)
        ) as person_id
      from enrolments e
      where ${where}
    ), target as (
      select r.id, r.person_id, p.household_id
      from resolved r left join persons p on p.id = r.person_id
    )
    update enrolments e
       set person_id = t.person_id, household_id = t.household_id, updated_at = now()
      from target t
     where e.id = t.id
       and (e.person_id is distinct from t.person_id or e.household_id is distinct from t.household_id)
    returning e.id`, executor);
  return rows.length;
}
