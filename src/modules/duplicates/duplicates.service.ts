import { sql, type SQL } from 'drizzle-orm';
import { enrolmentScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import type { ReviewStatus } from '../../graphql/enums.js';
import { assertProgramCodeShape, assertRegionCodeArg } from '../../lib/arguments.js';
import { BadUserInputError, ForbiddenError, NotFoundError, quote } from '../../lib/errors.js';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from '../../lib/pagination.js';
import { keyList } from '../../lib/sql.js';
import { writeAuditEntries } from '../audit/audit.buffer.js';
import { ENROLMENT_COLUMNS } from '../enrolments/enrolments.service.js';
import type { Enrolment } from '../enrolments/enrolments.types.js';
import { cleanText } from '../referrals/referrals.input.js';
import { candidatePrefilter, candidateVisible, viewerScope, type DuplicateScope } from './duplicates.scope.js';
import type { DuplicateCandidate, DuplicateFilter } from './duplicates.types.js';

/** Columns of a DuplicateCandidate row, from `duplicate_candidates c`. */
const CANDIDATE_COLUMNS = sql.raw(
  `c.id::text as id, c.kind, c.score::float8 as score, c.evidence, c.status, c.reviewed_at::text as "reviewedAt",
   c.review_note as "reviewNote", c.reviewed_by as "reviewedBy", c.first_seen_at::text as "firstSeenAt", c.program_codes as "programCodes"`,
);

/** Review decisions: from OPEN only, to CONFIRMED or DISMISSED (RESOLVED is the scan's word). */
export const REVIEW_TRANSITIONS: Record<ReviewStatus, readonly ReviewStatus[]> = {
  OPEN: ['CONFIRMED', 'DISMISSED'],
  CONFIRMED: [],
  DISMISSED: [],
  RESOLVED: [],
};
export const REVIEW_NOTE_MAX = 2000;

const ID_SHAPE = /^[1-9][0-9]{0,17}$/;

interface RequestMeta {
  operation: string | null;
  requestId: string | null;
}

/**
 * The read side of duplicate candidates and their review. Every statement carries the viewer's
 * scope through candidateVisible (a candidate exists for a viewer when one of its enrolments
 * does) and lists only the enrolments the viewer may see.
 */
export class DuplicatesService {
  constructor(private readonly database: Database) {}

  /** The WHERE of the list and of its totalCount (one function so they cannot diverge). */
  filterWhere(viewer: Viewer, filter: DuplicateFilter | null | undefined): SQL {
    let narrowed: DuplicateScope | null = null;
    const conditions: SQL[] = [candidatePrefilter(viewerScope(viewer))];
    if (filter?.program != null) {
      assertProgramCodeShape(filter.program, 'filter.program');
      narrowed = { regions: ['*'], programs: [filter.program] };
    }
    if (filter?.regionCode != null) {
      assertRegionCodeArg(filter.regionCode, 'filter.regionCode');
      narrowed = { regions: [filter.regionCode], programs: narrowed?.programs ?? null };
    }
    if (narrowed) conditions.push(candidatePrefilter(narrowed));
    if (filter?.kind != null) conditions.push(sql`c.kind = ${filter.kind}`);
    if (filter?.status != null) conditions.push(sql`c.status = ${filter.status}`);
    if (filter?.minScore != null) {
      if (!Number.isFinite(filter.minScore) || filter.minScore < 0 || filter.minScore > 1) {
        throw new BadUserInputError(`filter.minScore must be between 0 and 1, got ${filter.minScore}`, 'filter.minScore');
      }
      conditions.push(sql`c.score >= ${filter.minScore}`);
    }
    conditions.push(candidateVisible(viewer, narrowed));
    return sql.join(conditions, sql` and `);
  }

  /**
   * duplicateEnrolments: keyset on id, like the other lists. With `withMembers`, each row also
   * carries the enrolments the viewer may see (`members`, a correlated json_agg joined to the
   * page after its LIMIT) for the resolver to prime the loader: one statement fewer per page.
   */
  async list(
    viewer: Viewer,
    args: { filter?: DuplicateFilter | null; first?: number | null; after?: string | null },
    options: { withMembers?: boolean } = {},
  ): Promise<ConnectionShape<DuplicateCandidate & { members?: Enrolment[] }>> {
    const first = pageSize(args.first);
    const after = decodeCursor('duplicates', args.after);
    if (after != null && !ID_SHAPE.test(after)) throw new BadUserInputError(`after is not a cursor of this list (duplicates), got ${quote(args.after)}`, 'after');
    const where = this.filterWhere(viewer, args.filter);
    const page = sql`
      select ${CANDIDATE_COLUMNS} from duplicate_candidates c
      where ${where} ${after == null ? sql`` : sql`and c.id > ${after}::bigint`}
      order by c.id
      limit ${first + 1}`;
    const rows = await this.database.execute<DuplicateCandidate & { members?: Enrolment[] }>(options.withMembers
      ? sql`
        select pg.*, coalesce((
          select json_agg(x order by x.id) from (
            select ${ENROLMENT_COLUMNS} from duplicate_candidate_enrolments m join enrolments e on e.id = m.enrolment_id
            where m.candidate_id = pg.id::bigint and ${enrolmentScope(viewer, 'e')}
            offset 0) x), '[]') as members
        from (${page}) pg
        order by pg.id::bigint`
      : page);
    return toConnection('duplicates', rows, first, (c) => c.id, async () => {
      const [{ n }] = await this.database.execute<{ n: number }>(sql`select count(*)::int as n from duplicate_candidates c where ${where}`);
      return n;
    });
  }

  /**
   * The enrolments of candidates that the viewer may see (loader: one statement per batch). A
   * lateral probe per candidate (offset 0 keeps it one): two primary-key lookups per enrolment,
   * whatever the planner's statistics say about the candidate tables after a scan.
   */
  membersOf(viewer: Viewer, candidateIds: readonly string[]): Promise<Array<Enrolment & { candidateId: string }>> {
    return this.database.execute<Enrolment & { candidateId: string }>(sql`
      select x.* from unnest(${`{${candidateIds.filter((id) => ID_SHAPE.test(id)).join(',')}}`}::bigint[]) k(id)
      cross join lateral (
        select m.candidate_id::text as "candidateId", ${ENROLMENT_COLUMNS}
        from duplicate_candidate_enrolments m join enrolments e on e.id = m.enrolment_id
        where m.candidate_id = k.id and ${enrolmentScope(viewer, 'e')}
        offset 0
      ) x
      order by x."candidateId", x.id`);
  }

  /**
   * reviewDuplicate: OPEN to CONFIRMED or DISMISSED, with the reviewer, the time and a note
   * (required to dismiss: the next reviewer must see why). One statement moves the candidate
   * only when it is visible to the viewer and OPEN; the MUTATION audit entry is written in the
   * same transaction. When nothing moved, one scoped read tells: missing or out of scope
   * (NOT_FOUND, the same answer) or a decision not allowed from its status (BAD_USER_INPUT).
   */
  async review(viewer: Viewer, args: { id: string; decision: ReviewStatus; note?: string | null }, meta: RequestMeta): Promise<DuplicateCandidate> {
    if (viewer.role !== 'ADMIN' && viewer.role !== 'PROGRAM_MANAGER') {
      await this.deny(viewer, args.id, meta);
      throw new ForbiddenError(`reviewDuplicate is not available to role ${viewer.role}`);
    }
    if (typeof args.id !== 'string' || !ID_SHAPE.test(args.id)) {
      throw new BadUserInputError(`id must be the id of a duplicate candidate (digits), got ${quote(args.id)}`, 'id');
    }
    if (args.decision !== 'CONFIRMED' && args.decision !== 'DISMISSED') {
      throw new BadUserInputError(`decision must be CONFIRMED or DISMISSED, got ${args.decision}`, 'decision');
    }
    const note = args.note == null ? null : cleanText(args.note, 'note', { max: REVIEW_NOTE_MAX, multiline: true });
    if (args.decision === 'DISMISSED' && note == null) {
      throw new BadUserInputError('note is required to dismiss a candidate: say why the enrolments are not duplicates', 'note');
    }
    const from = Object.entries(REVIEW_TRANSITIONS).filter(([, to]) => to.includes(args.decision)).map(([status]) => status);
    const moved = await this.database.db.transaction(async (tx) => {
      const [row] = await this.database.execute<DuplicateCandidate>(sql`
        update duplicate_candidates c
           set status = ${args.decision}::review_status, reviewed_at = now(), reviewed_by = ${viewer.id}, review_note = ${note}
         where c.id = ${args.id}::bigint and c.status::text in ${keyList(from)} and ${candidateVisible(viewer, null)}
        returning ${CANDIDATE_COLUMNS}`, tx);
      if (!row) return null;
      await writeAuditEntries(this.database, [{
        actor: viewer.id, role: viewer.role, action: 'MUTATION', operation: meta.operation ?? 'reviewDuplicate',
        subject_type: 'DuplicateCandidate', subject_id: row.id, fields: ['reviewNote', 'reviewedAt', 'status'], request_id: meta.requestId,
      }], tx);
      return row;
    });
    if (moved) return moved;
    const [current] = await this.database.execute<{ status: ReviewStatus }>(sql`
      select c.status from duplicate_candidates c where c.id = ${args.id}::bigint and ${candidateVisible(viewer, null)}`);
    if (!current) throw new NotFoundError(`no duplicate candidate with id ${quote(args.id)}`);
    throw new BadUserInputError(
      `a candidate that is ${current.status} cannot become ${args.decision}: only OPEN candidates are reviewed (allowed from ${current.status}: ${REVIEW_TRANSITIONS[current.status].join(', ') || 'nothing'})`,
      'decision',
    );
  }

  private deny(viewer: Viewer, subjectId: string | null, meta: RequestMeta) {
    return writeAuditEntries(this.database, [{
      actor: viewer.id, role: viewer.role, action: 'DENIED', operation: meta.operation ?? 'reviewDuplicate',
      subject_type: 'DuplicateCandidate', subject_id: typeof subjectId === 'string' && ID_SHAPE.test(subjectId) ? subjectId : null,
      fields: ['reviewDuplicate'], request_id: meta.requestId,
    }]);
  }
}
