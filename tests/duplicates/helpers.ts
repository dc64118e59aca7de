import { sql } from 'drizzle-orm';
import type { Viewer } from '../../src/auth/viewer.js';
import type { Database } from '../../src/db/client.js';

export const ADMIN: Viewer = { id: 'test-admin', role: 'ADMIN', regions: ['*'], programs: [], via: 'token' };
export const META = { operation: 'test', requestId: null };

export interface StoredCandidate {
  id: string;
  kind: string;
  status: string;
  score: number;
  members: string[];
  evidence: string[];
  programs: string[];
}

/** Every stored candidate with its members (sorted), straight from the tables. */
export async function storedCandidates(database: Database, where = sql`true`): Promise<StoredCandidate[]> {
  return database.execute<StoredCandidate>(sql`
    select c.id::text as id, c.kind, c.status, c.score::float8 as score, c.evidence, c.program_codes as programs,
      coalesce((select array_agg(m.enrolment_id order by m.enrolment_id) from duplicate_candidate_enrolments m where m.candidate_id = c.id), '{}') as members
    from duplicate_candidates c where ${where} order by c.kind, c.id`);
}

/** "KIND:a+b+c" per candidate, for comparing sets of findings. */
export const signatureOf = (c: { kind: string; members: string[] }) => `${c.kind}:${[...c.members].sort().join('+')}`;

/** Precision and recall of found keys against expected keys. */
export function precisionRecall(found: Iterable<string>, expected: Iterable<string>) {
  const f = new Set(found);
  const e = new Set(expected);
  const truePositives = [...f].filter((x) => e.has(x)).length;
  return {
    precision: f.size === 0 ? 1 : truePositives / f.size,
    recall: e.size === 0 ? 1 : truePositives / e.size,
    truePositives, found: f.size, expected: e.size,
  };
}
