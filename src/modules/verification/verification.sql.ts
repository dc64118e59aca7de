import { sql, type SQL } from 'drizzle-orm';

/**
 * Verification against the civil registry (CONTRACT.md section 5), in SQL and in one place.
 *
 * A record (a DTKS person `p` or an enrolment `e`) is compared with the civil_registry row `c`
 * of the same NIK, joined only when the record's NIK is well formed (`nik_valid`, stored at
 * write time by src/lib/nik.ts). Each issue is one boolean SQL condition over the record and
 * `c`; from those conditions this module builds
 *   - the columns of the field loaders: the issues in severity order, the status, nameSimilarity;
 *   - the WHERE condition of the `verificationStatus` filters (status = S  <=>  issue S holds and
 *     no more severe one does), written as a (NOT) EXISTS on civil_registry's primary key so it
 *     stays a plain condition on the record's own table: the list, its count and any other filter
 *     keep their shape, and the planner starts from the scoped rows and probes civil_registry.
 *
 * A comparison needs both sides: a missing birth date, sex, KK number or name is not a mismatch.
 */

/** Issues, most severe first: the order of the contract's VerificationIssue enum. */
export const VERIFICATION_ISSUES = [
  'INVALID_NIK', 'NOT_FOUND', 'DECEASED', 'NAME_MISMATCH', 'BIRTHDATE_MISMATCH', 'SEX_MISMATCH', 'MOVED', 'KK_MISMATCH',
] as const;
export type VerificationIssue = (typeof VERIFICATION_ISSUES)[number];
export type VerificationStatus = 'VERIFIED' | VerificationIssue;

/**
 * Two normalised names (src/lib/names.ts) are the same person's name when
 *   - they are equal, or equal once spaces are removed ("Nurhayati" / "Nur Hayati"), or
 *   - every word of one is a word of the other (a name left out: "Kartini" / "Kartini
 *     Handayani", "Made Sari" / "Ni Made Sari"; the NIK already ties the two records), or
 *   - their pg_trgm similarity is at least NAME_MATCH_THRESHOLD (typos: "Sumina" / "Suminah").
 * The threshold comes from the table of tests/verification/name-pairs.ts: the pairs of
 * different people score at most 0.53 (a short first name and a shared last name, "Dedi
 * Saputra" / "Rudi Saputra"); the same-person pairs that need the similarity rule score at
 * least 0.64 ("Ketut Suryadi" / "Ketut Surjadi"). 0.6 sits in that gap. See README "Verification".
 */
export const NAME_MATCH_THRESHOLD = 0.6;

/** The columns of a record that verification compares (raw SQL of an alias written in code). */
export interface RecordShape {
  nik: SQL;
  nikValid: SQL;
  nameNorm: SQL;
  birthDate: SQL;
  /** null: the record has no sex (enrolments): SEX_MISMATCH is not checked. */
  sex: SQL | null;
  kkNumber: SQL;
  regencyCode: SQL;
}

/** The record columns of a persons or enrolments row aliased `alias` (an alias written in code). */
export function recordOf(alias: string, withSex: boolean): RecordShape {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  return {
    nik: col('nik'), nikValid: col('nik_valid'), nameNorm: col('name_norm'), birthDate: col('birth_date'),
    sex: withSex ? col('sex') : null, kkNumber: col('kk_number'), regencyCode: col('regency_code'),
  };
}

/** A DTKS person, `persons p`. */
export const PERSON_RECORD = recordOf('p', true);
/**
 * An enrolment, `enrolments e`: the identity the program's list gives. Lists carry no sex, so
 * SEX_MISMATCH is not checked (the resolved person's sex is the DTKS's, which Person.verification
 * already compares). MOVED compares with the village where the benefit is delivered.
 */
export const ENROLMENT_RECORD = recordOf('e', false);

/** The civil_registry row of a record: `c`. */
export const civilJoin = (r: RecordShape): SQL => sql`left join civil_registry c on c.nik = ${r.nik} and ${r.nikValid}`;

/** The same-name rule on two normalised names (both non-empty). */
export function namesMatch(a: SQL, b: SQL): SQL {
  const words = (x: SQL) => sql`string_to_array(${x}, ' ')`;
  return sql`(${a} = ${b} or replace(${a}, ' ', '') = replace(${b}, ' ', '')
    or ${words(a)} <@ ${words(b)} or ${words(b)} <@ ${words(a)}
    or similarity(${a}, ${b}) >= ${sql.raw(String(NAME_MATCH_THRESHOLD))})`;
}

/**
 * The conditions of the issues that need the civil row, each never null, assuming `c` is
 * present (DECEASED onwards). The first two issues are about the join itself.
 */
function civilConditions(r: RecordShape): Record<Exclude<VerificationIssue, 'INVALID_NIK' | 'NOT_FOUND'>, SQL> {
  return {
    DECEASED: sql`(c.death_date is not null)`,
    NAME_MISMATCH: sql`coalesce(${r.nameNorm} <> '' and c.name_norm <> '' and not ${namesMatch(r.nameNorm, sql`c.name_norm`)}, false)`,
    BIRTHDATE_MISMATCH: sql`coalesce(${r.birthDate} <> c.birth_date, false)`,
    SEX_MISMATCH: r.sex ? sql`coalesce(${r.sex} <> c.sex, false)` : sql`false`,
    MOVED: sql`(c.regency_code <> ${r.regencyCode})`,
    KK_MISMATCH: sql`coalesce(nullif(${r.kkNumber}, '') <> c.kk_number, false)`,
  };
}

/**
 * What follows `from <record table> <alias>` to verify it: the civil row `c` and `v.issues`,
 * the issues in severity order (a lateral subquery, so each condition is written once).
 */
export function verificationJoins(r: RecordShape): SQL {
  const civil = civilConditions(r);
  const entries: SQL[] = [
    sql`case when not ${r.nikValid} then 'INVALID_NIK' end`,
    sql`case when ${r.nikValid} and c.nik is null then 'NOT_FOUND' end`,
    ...Object.entries(civil).map(([issue, condition]) => sql`case when c.nik is not null and ${condition} then ${sql.raw(`'${issue}'`)} end`),
  ];
  return sql`${civilJoin(r)}
    cross join lateral (select array_remove(array[${sql.join(entries, sql`, `)}]::text[], null) as issues) v`;
}

const nameSimilarity = (r: RecordShape) => sql`case when c.nik is null or ${r.nameNorm} is null then null
  else round(similarity(${r.nameNorm}, c.name_norm)::numeric, 3)::float8 end`;

/** Columns `issues` (JSON array, most severe first), `status` and `"nameSimilarity"`, after verificationJoins(r). */
export function verificationColumns(r: RecordShape): SQL {
  return sql`to_json(v.issues) as issues, coalesce(v.issues[1], 'VERIFIED') as status, ${nameSimilarity(r)} as "nameSimilarity"`;
}

/** The same as one JSON object (with the record's id), for a page that carries its verifications. */
export function verificationJson(r: RecordShape, id: SQL): SQL {
  return sql`json_build_object('id', ${id}, 'issues', to_json(v.issues), 'status', coalesce(v.issues[1], 'VERIFIED'),
    'nameSimilarity', ${nameSimilarity(r)})`;
}

/**
 * WHERE condition "the record's status is `status`", on the record's own alias: set-based,
 * usable in a list, its count and with any other filter.
 */
export function verificationStatusCondition(r: RecordShape, status: VerificationStatus): SQL {
  if (status === 'INVALID_NIK') return sql`not ${r.nikValid}`;
  if (status === 'NOT_FOUND') return sql`(${r.nikValid} and not exists (select 1 from civil_registry c where c.nik = ${r.nik}))`;
  const civil = civilConditions(r);
  const order = Object.keys(civil) as Array<keyof typeof civil>;
  const more = status === 'VERIFIED' ? order : order.slice(0, order.indexOf(status));
  const conditions = [
    ...(status === 'VERIFIED' ? [] : [civil[status]]),
    ...more.map((issue) => sql`not ${civil[issue]}`),
  ];
  return sql`(${r.nikValid} and exists (select 1 from civil_registry c where c.nik = ${r.nik}
    ${conditions.length ? sql`and ${sql.join(conditions, sql` and `)}` : sql``}))`;
}

/**
 * The record's status as one CASE expression after civilJoin(r): the first issue that holds, in
 * severity order, else VERIFIED. Cheaper than the issues array where only the status is needed
 * (the VERIFICATION_STATUS dimension of stats counts a whole province), and built from the same
 * conditions, so the two cannot disagree.
 */
export function verificationStatusColumn(r: RecordShape): SQL {
  const civil = civilConditions(r);
  return sql`(case when not ${r.nikValid} then 'INVALID_NIK' when c.nik is null then 'NOT_FOUND'
    ${sql.join(Object.entries(civil).map(([issue, condition]) => sql`when ${condition} then ${sql.raw(`'${issue}'`)}`), sql` `)}
    else 'VERIFIED' end)`;
}
