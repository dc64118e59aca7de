import { sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { Database, Executor } from '../../db/client.js';
import type { DuplicateKind } from '../../graphql/enums.js';
import { assertProgramCodeShape, assertRegionCodeArg } from '../../lib/arguments.js';
import { BadUserInputError, ForbiddenError, quote } from '../../lib/errors.js';
import { writeAuditEntries } from '../audit/audit.buffer.js';
import { exclusiveProgramsInsert, sameFamilyInsert, sameNikInsert } from './duplicates.exact.sql.js';
import { probablePairsInsert } from './duplicates.linkage.sql.js';
import { modelParameters } from './duplicates.model.js';
import { covers, enrolmentInScope, narrowRegions, type DuplicateScope } from './duplicates.scope.js';

export const KINDS: DuplicateKind[] = ['SAME_NIK', 'SAME_FAMILY', 'EXCLUSIVE_PROGRAMS', 'PROBABLE_SAME_PERSON'];

export interface KindCount {
  kind: DuplicateKind;
  candidates: number;
  newCandidates: number;
}

export interface ScanResult {
  id: number;
  candidates: number;
  newCandidates: number;
  tookMs: number;
  incremental: boolean;
  compared: number;
  byKind: KindCount[];
}

export interface ScanOptions {
  /** Compare every enrolment of the scope, not only those changed since the last covering scan. */
  full?: boolean;
  /** Called after each step (for a progress bar). */
  onProgress?: (done: number, total: number, step: string) => void;
}

interface RequestMeta {
  operation: string | null;
  requestId: string | null;
}

/**
 * How far before the previous scan's start an incremental scan looks for changes: a writer
 * whose transaction began before that scan but committed after it stamped its rows with an
 * earlier updated_at than the scan could see. Rescanning a margin costs little (a scan is
 * idempotent); missing a change would cost a duplicate.
 */
export const DEFAULT_WATERMARK_MARGIN_MS = 60_000;

/**
 * scanDuplicates (CONTRACT.md section 6): finds the candidates of the four kinds and stores them.
 *
 * One transaction (serialised by an advisory lock): the enrolments to compare go into a
 * temporary table (dedup_delta): every enrolment of the scope in a full scan, the enrolments
 * changed since the newest covering scan in an incremental one. Each kind's statement inserts
 * what it finds into dedup_found; then the candidates that hold in the scope are upserted by
 * fingerprint (nothing is written for an unchanged one: scanning twice changes nothing),
 * their members synchronised, and the candidates of changed enrolments that no longer hold
 * become RESOLVED.
 *
 * Region and program scope: what is compared is the scope's enrolments (region scope and
 * programs plus their exclusive partners) or, incrementally, every changed enrolment; what is
 * stored, resolved and counted is only what has an enrolment in the caller's scope. A key's
 * group is always completed with every enrolment of that key, wherever it is delivered, so the
 * same key is the same candidate whoever scans it (the caller sees only its own enrolments).
 */
export class DuplicateScanner {
  constructor(
    private readonly database: Database,
    private readonly options: { watermarkMarginMs?: number } = {},
  ) {}

  /** Validate the arguments against the caller and the database: BAD_USER_INPUT / FORBIDDEN before anything runs. */
  async resolveScope(viewer: Viewer, program: string | null | undefined, regionCode: string | null | undefined): Promise<DuplicateScope> {
    if (program != null) {
      assertProgramCodeShape(program, 'program');
      const [known] = await this.database.execute<{ code: string }>(sql`select code from programs where code = ${program}`);
      if (!known) throw new BadUserInputError(`program must be the code of a known program, got ${quote(program)}`, 'program');
      if (viewer.role === 'PROGRAM_MANAGER' && !viewer.programs.includes(program)) {
        throw new ForbiddenError(`program ${program} is not one of the caller's programs (${viewer.programs.join(', ') || 'none'})`);
      }
    }
    if (regionCode != null) {
      assertRegionCodeArg(regionCode, 'regionCode');
      const [known] = await this.database.execute<{ code: string }>(sql`select code from regions where code = ${regionCode}`);
      if (!known) throw new BadUserInputError(`regionCode must be the code of an existing region, got ${quote(regionCode)}`, 'regionCode');
    }
    const regions = narrowRegions(viewer.regions, regionCode);
    if (regions.length === 0) {
      throw new ForbiddenError(`regionCode ${regionCode} is outside the caller's regions (${viewer.regions.join(', ')})`);
    }
    let programs: string[] | null = program == null ? null : [program];
    if (viewer.role === 'PROGRAM_MANAGER') programs = program == null ? [...viewer.programs] : [program];
    return { regions, programs };
  }

  async scan(
    viewer: Viewer,
    args: { program?: string | null; regionCode?: string | null },
    meta: RequestMeta,
    options: ScanOptions = {},
  ): Promise<ScanResult> {
    if (viewer.role !== 'ADMIN' && viewer.role !== 'PROGRAM_MANAGER') {
      await this.deny(viewer, meta);
      throw new ForbiddenError(`scanDuplicates is not available to role ${viewer.role}`);
    }
    let scope: DuplicateScope;
    try {
      scope = await this.resolveScope(viewer, args.program, args.regionCode);
    } catch (error) {
      if (error instanceof ForbiddenError) await this.deny(viewer, meta);
      throw error;
    }
    const clock = performance.now();
    const { parameters, version } = modelParameters();
    const steps = ['compare', 'SAME_NIK', 'SAME_FAMILY', 'EXCLUSIVE_PROGRAMS', 'PROBABLE_SAME_PERSON', 'store', 'resolve'];
    let done = 0;
    const step = (name: string) => options.onProgress?.(++done, steps.length, name);
    const inScope = enrolmentInScope(scope, 'e');

    return this.database.db.transaction(async (tx) => {
      const run = <T = Record<string, unknown>>(query: SQL) => this.database.execute<T>(query, tx);
      await run(sql`select pg_advisory_xact_lock(7100101)`);
      // Statements built once per scan over the whole register: compiling them (JIT) costs
      // seconds and saves nothing.
      if (this.database.driver === 'postgres') await run(sql`set local jit = off`);
      const [{ startedAt }] = await run<{ startedAt: string }>(sql`select now()::text as "startedAt"`);
      const watermark = options.full ? null : await this.watermark(run, scope, version);

      // A national full scan of every program compares the whole register: no table of ids, no key filters.
      const everything = watermark == null && scope.programs == null && scope.regions.includes('*');
      await run(sql`create temporary table dedup_delta (id text primary key) on commit drop`);
      await run(sql`create temporary table dedup_affected (id text primary key) on commit drop`);
      await run(sql`create temporary table dedup_found (kind text not null, fingerprint text not null, member_ids text[] not null,
        score float8 not null, evidence text[] not null) on commit drop`);
      if (watermark == null) {
        // Fresh statistics for the planner: PGlite has no autovacuum, and without them it nests loops
        // over the whole register (PostgreSQL's autovacuum keeps them).
        if (this.database.driver === 'pglite') await run(sql`analyze enrolments`);
        // Full: the scope's enrolments, in its programs and their exclusive partners.
        const programs = scope.programs == null ? sql`true` : sql`e.program_code in (
          select json_array_elements_text(${JSON.stringify(scope.programs)}::json)
          union select x.excluded_code from program_exclusions x where x.program_code in (select json_array_elements_text(${JSON.stringify(scope.programs)}::json))
          union select x.program_code from program_exclusions x where x.excluded_code in (select json_array_elements_text(${JSON.stringify(scope.programs)}::json)))`;
        if (!everything) {
          await run(sql`insert into dedup_delta select e.id from enrolments e where ${enrolmentInScope({ regions: scope.regions, programs: null }, 'e')} and ${programs}`);
        }
      } else {
        await run(sql`insert into dedup_delta select e.id from enrolments e where e.updated_at > ${watermark}::timestamptz`);
      }
      await run(sql`analyze dedup_delta`);
      if (!everything) await run(sql`
        insert into dedup_affected
        select id from dedup_delta
        union
        select m2.enrolment_id from dedup_delta d
        join duplicate_candidate_enrolments m1 on m1.enrolment_id = d.id
        join duplicate_candidate_enrolments m2 on m2.candidate_id = m1.candidate_id`);
      await run(sql`analyze dedup_affected`);
      const [{ compared }] = await run<{ compared: number }>(everything
        ? sql`select count(*)::int as compared from enrolments`
        : sql`select count(*)::int as compared from dedup_delta`);
      step('compare');

      await run(sameNikInsert(everything));
      step('SAME_NIK');
      await run(sameFamilyInsert(everything));
      step('SAME_FAMILY');
      await run(exclusiveProgramsInsert(everything));
      step('EXCLUSIVE_PROGRAMS');
      await run(probablePairsInsert(parameters, everything));
      step('PROBABLE_SAME_PERSON');

      // What holds in the scope, with its programs, regencies and the members' signature.
      await run(sql`
        create temporary table dedup_hold on commit drop as
        select f.kind, f.fingerprint, f.member_ids, f.score, f.evidence, s.programs, s.regencies, s.signature
        from dedup_found f
        cross join lateral (
          select array_agg(distinct e.program_code) as programs, array_agg(distinct e.regency_code::text) as regencies,
                 md5(string_agg(e.id || '@' || e.updated_at::text, ',' order by e.id)) as signature,
                 bool_or(${inScope}) as visible
          from enrolments e where e.id = any(f.member_ids)
        ) s
        where s.visible`);
      const upserted = await run<{ kind: DuplicateKind; inserted: boolean }>(sql`
        insert into duplicate_candidates as c (kind, regency_code, regency_codes, program_codes, fingerprint, score, evidence, enrolments_signature)
        select h.kind::duplicate_kind, h.regencies[1], h.regencies, h.programs, h.fingerprint, h.score, h.evidence, h.signature
        from dedup_hold h
        order by h.regencies[1] collate "C", h.kind collate "C", h.fingerprint collate "C"
        on conflict (fingerprint) do update set
          regency_code = excluded.regency_code, regency_codes = excluded.regency_codes, program_codes = excluded.program_codes,
          score = excluded.score, evidence = excluded.evidence, enrolments_signature = excluded.enrolments_signature,
          -- a candidate that holds again, or whose enrolments changed since it was reviewed, is looked at again
          status = case when c.status = 'RESOLVED' or c.enrolments_signature <> excluded.enrolments_signature then 'OPEN'::review_status
                        else c.status end,
          last_seen_at = now()
        where c.status = 'RESOLVED' or c.enrolments_signature <> excluded.enrolments_signature or c.score <> excluded.score
           or c.evidence <> excluded.evidence or c.program_codes <> excluded.program_codes or c.regency_codes <> excluded.regency_codes
        returning c.kind, (xmax = 0) as inserted`);
      await run(sql`
        delete from duplicate_candidate_enrolments m
        using duplicate_candidates c, dedup_hold h
        where c.fingerprint = h.fingerprint and m.candidate_id = c.id and not (m.enrolment_id = any(h.member_ids))`);
      await run(sql`
        insert into duplicate_candidate_enrolments (candidate_id, enrolment_id)
        select c.id, unnest(h.member_ids) from dedup_hold h join duplicate_candidates c on c.fingerprint = h.fingerprint
        on conflict do nothing`);
      step('store');

      // Candidates of compared enrolments that no longer hold (an enrolment ended, a NIK was
      // corrected): no longer OPEN. A DISMISSED one keeps the reviewer's word.
      await run(sql`
        update duplicate_candidates c set status = 'RESOLVED', last_seen_at = now()
        where c.status in ('OPEN', 'CONFIRMED')
          ${everything ? sql`` : sql`and exists (select 1 from duplicate_candidate_enrolments m join dedup_delta d on d.id = m.enrolment_id where m.candidate_id = c.id)`}
          and not exists (select 1 from dedup_hold h where h.fingerprint = c.fingerprint)
          and exists (select 1 from duplicate_candidate_enrolments m join enrolments e on e.id = m.enrolment_id
                      where m.candidate_id = c.id and ${inScope})`);
      const holding = await run<{ kind: DuplicateKind; n: number }>(sql`
        select c.kind, count(*)::int as n from duplicate_candidates c
        where c.status <> 'RESOLVED'
          and exists (select 1 from duplicate_candidate_enrolments m join enrolments e on e.id = m.enrolment_id
                      where m.candidate_id = c.id and ${inScope})
        group by c.kind`);
      // The candidate tables may have grown by thousands of rows: fresh statistics for the lists.
      if (watermark == null) await run(sql`analyze duplicate_candidates, duplicate_candidate_enrolments`);
      step('resolve');

      const byKind = KINDS.map((kind) => ({
        kind,
        candidates: holding.find((h) => h.kind === kind)?.n ?? 0,
        newCandidates: upserted.filter((u) => u.kind === kind && u.inserted).length,
      }));
      const candidates = byKind.reduce((s, k) => s + k.candidates, 0);
      const newCandidates = byKind.reduce((s, k) => s + k.newCandidates, 0);
      const [{ id }] = await run<{ id: number }>(sql`
        insert into duplicate_scans (actor, programs, regions, model_version, incremental, started_at, compared, candidates, new_candidates)
        values (${viewer.id}, ${scope.programs == null ? null : `{${scope.programs.join(',')}}`}::text[], ${`{${scope.regions.join(',')}}`}::text[],
                ${version}, ${watermark != null}, ${startedAt}::timestamptz, ${compared}, ${candidates}, ${newCandidates})
        returning id::int as id`);
      await writeAuditEntries(this.database, [{
        actor: viewer.id, role: viewer.role, action: 'MUTATION', operation: meta.operation ?? 'scanDuplicates',
        subject_type: 'DuplicateScan', subject_id: String(id), fields: ['candidates', 'newCandidates'], request_id: meta.requestId,
      }], tx as Executor);
      return {
        id, candidates, newCandidates, byKind, compared, incremental: watermark != null,
        tookMs: Math.round(performance.now() - clock),
      };
    });
  }

  /**
   * The instant from which changes are compared: the start of the newest finished scan with
   * this model version whose scope covers this one, less the margin; null (a full scan) when
   * there is none.
   */
  private async watermark(run: <T>(q: SQL) => Promise<T[]>, scope: DuplicateScope, version: string): Promise<string | null> {
    const scans = await run<{ programs: string[] | null; regions: string[]; startedAt: string }>(sql`
      select programs, regions, started_at::text as "startedAt" from duplicate_scans
      where model_version = ${version} order by started_at desc limit 200`);
    const covering = scans.find((s) => covers({ programs: s.programs, regions: s.regions }, scope));
    if (!covering) return null;
    const margin = this.options.watermarkMarginMs ?? DEFAULT_WATERMARK_MARGIN_MS;
    const [{ at }] = await run<{ at: string }>(sql`select (${covering.startedAt}::timestamptz - ${String(margin)}::int * interval '1 millisecond')::text as at`);
    return at;
  }

  private deny(viewer: Viewer, meta: RequestMeta) {
    return writeAuditEntries(this.database, [{
      actor: viewer.id, role: viewer.role, action: 'DENIED', operation: meta.operation ?? 'scanDuplicates',
      subject_type: 'DuplicateScan', subject_id: null, fields: ['scanDuplicates'], request_id: meta.requestId,
    }]);
  }
}
