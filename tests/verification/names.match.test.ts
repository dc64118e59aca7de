import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeName } from '../../src/lib/names.js';
import { NAME_MATCH_THRESHOLD, namesMatch } from '../../src/modules/verification/verification.sql.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { DIFFERENT_PEOPLE, SAME_PERSON } from './name-pairs.js';

/**
 * The real NAME_MISMATCH rule: normalizeName in JS (as imports store name_norm), then the SQL
 * rule of verification.sql.ts on the test database (PGlite or PostgreSQL).
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

interface Judged { a: string; b: string; same: boolean; similarity: number }

async function judge(pairs: ReadonlyArray<readonly [string, string]>): Promise<Judged[]> {
  const rows = pairs.map(([a, b], n) => ({ n, a: normalizeName(a), b: normalizeName(b) }));
  return db.database.execute<Judged>(sql`
    select x.a, x.b, ${namesMatch(sql`x.a`, sql`x.b`)} as same, similarity(x.a, x.b)::float8 as similarity
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(n int, a text, b text)
    order by x.n`);
}

describe('the same-name rule of NAME_MISMATCH', () => {
  it('has a table of at least 50 pairs each way', () => {
    expect(SAME_PERSON.length).toBeGreaterThanOrEqual(50);
    expect(DIFFERENT_PEOPLE.length).toBeGreaterThanOrEqual(50);
  });

  it('matches every pair of the same person', async () => {
    const judged = await judge(SAME_PERSON);
    expect(judged.filter((j) => !j.same).map((j) => `${j.a} / ${j.b} (${j.similarity.toFixed(3)})`)).toEqual([]);
  });

  it('keeps every pair of different people apart', async () => {
    const judged = await judge(DIFFERENT_PEOPLE);
    expect(judged.filter((j) => j.same).map((j) => `${j.a} / ${j.b} (${j.similarity.toFixed(3)})`)).toEqual([]);
  });

  it('puts the threshold in the gap of the table, with room on both sides', async () => {
    const different = await judge(DIFFERENT_PEOPLE);
    const same = (await judge(SAME_PERSON)).filter((j) => {
      // Pairs the exact, spacing and word-subset rules settle do not constrain the threshold.
      const wa = j.a.split(' ');
      const wb = j.b.split(' ');
      return j.a.replace(/ /g, '') !== j.b.replace(/ /g, '') && !wa.every((w) => wb.includes(w)) && !wb.every((w) => wa.includes(w));
    });
    const highestDifferent = Math.max(...different.map((j) => j.similarity));
    const lowestSame = Math.min(...same.map((j) => j.similarity));
    expect(same.length).toBeGreaterThanOrEqual(5);
    expect(highestDifferent).toBeLessThan(NAME_MATCH_THRESHOLD - 0.05);
    expect(lowestSame).toBeGreaterThan(NAME_MATCH_THRESHOLD + 0.03);
  });
});
