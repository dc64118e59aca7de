import { sql, type SQL } from 'drizzle-orm';
import { rowScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { assertRegionCodeArg } from '../../lib/arguments.js';
import { BadUserInputError, quote } from '../../lib/errors.js';
import { normalizeName } from '../../lib/names.js';
import { pageSize } from '../../lib/pagination.js';
import { PERSON_COLUMNS } from './persons.service.js';
import type { Person } from './persons.types.js';

export const MAX_SEARCH_NAME = 200;

export interface SearchArgs {
  name: string;
  birthDate?: string | null;
  regionCode?: string | null;
  first?: number | null;
}

export type PersonMatchRow = Person & { score: number };

/**
 * Fuzzy name search: both sides normalised by src/lib/names.ts (so "H. Moh. Soekarno, S.Pd."
 * finds "Muhammad Sukarno"), candidates found through the GiST trigram index
 * persons_name_norm_trgm_gist_idx with the `%` operator (similarity above pg_trgm's threshold,
 * 0.3 by default), narrowed by birth date and region, scoped, best first: a nearest-neighbour
 * scan (see the comment below).
 * The score is pg_trgm's similarity of the normalised names, 0..1.
 */
export async function searchPersons(database: Database, viewer: Viewer, args: SearchArgs): Promise<PersonMatchRow[]> {
  if (args.name.length > MAX_SEARCH_NAME) {
    throw new BadUserInputError(`name must be at most ${MAX_SEARCH_NAME} characters, got ${args.name.length}`, 'name');
  }
  const normalised = normalizeName(args.name);
  if (normalised === '') {
    throw new BadUserInputError(`name must contain a personal name (titles and punctuation alone do not count), got ${quote(args.name)}`, 'name');
  }
  const first = pageSize(args.first);
  const conditions: SQL[] = [sql`p.name_norm % ${normalised}`, rowScope(viewer, 'p')];
  if (args.birthDate != null) conditions.push(sql`p.birth_date = ${args.birthDate}::date`);
  if (args.regionCode != null) {
    assertRegionCodeArg(args.regionCode, 'regionCode');
    conditions.push(rowScope({ regions: [args.regionCode] }, 'p'));
  }
  if (first === 0) return [];
  // The inner query orders by trigram distance (1 - similarity) alone, so that a GiST trigram
  // index, when present, answers it as a nearest-neighbour scan that stops after `first` rows
  // (ms instead of a scan of every candidate of a common name); the outer query orders the page
  // by score and id for a stable answer.
  return database.execute<PersonMatchRow>(sql`
    select * from (
      select ${PERSON_COLUMNS}, similarity(p.name_norm, ${normalised})::float8 as score
      from persons p
      where ${sql.join(conditions, sql` and `)}
      order by p.name_norm <-> ${normalised}
      limit ${first}
    ) m
    order by m.score desc, m.id`);
}
