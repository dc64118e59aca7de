import { sql } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { Database, Executor } from '../../db/client.js';

export type AuditActionName = 'READ' | 'MUTATION' | 'IMPORT' | 'DENIED';

interface Pending {
  action: AuditActionName;
  subjectType: string | null;
  subjectId: string | null;
  villageCode: string | null;
  fields: Set<string>;
}

/**
 * The audit entries one request causes, collected while it resolves and written in ONE
 * statement before its response is sent (src/modules/audit/audit.plugin.ts). Reads of one
 * subject are folded into one entry listing the fields returned.
 */
export class AuditBuffer {
  private readonly pending = new Map<string, Pending>();

  private add(action: AuditActionName, subjectType: string | null, subjectId: string | null, villageCode: string | null, field: string | null) {
    const key = `${action}\u0000${subjectType ?? ''}\u0000${subjectId ?? ''}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { action, subjectType, subjectId, villageCode, fields: new Set() };
      this.pending.set(key, entry);
    }
    if (field) entry.fields.add(field);
  }

  /** A guarded field (identity, address, health, complaint) was returned for a subject. */
  read(subjectType: string, subjectId: string | null, villageCode: string | null, field: string) {
    this.add('READ', subjectType, subjectId, villageCode, field);
  }

  /** A field or operation was refused to the viewer. */
  denied(subjectType: string, subjectId: string | null, villageCode: string | null, field: string) {
    this.add('DENIED', subjectType, subjectId, villageCode, field);
  }

  get size() {
    return this.pending.size;
  }

  /**
   * Write everything collected (one INSERT) and empty the buffer. READ entries are written as
   * one row per subject type and field set, its subjects as arrays (migration 0009): a nested
   * page that returns 500 persons' names is one row, not 500. Other entries stay one row each.
   */
  async flush(database: Database, viewer: Viewer, meta: { operation: string | null; requestId: string }, executor?: Executor) {
    if (this.pending.size === 0) return;
    const base = { actor: viewer.id, role: viewer.role, operation: meta.operation, request_id: meta.requestId };
    const rows: AuditRow[] = [];
    const reads = new Map<string, AuditRow & { subject_ids: string[]; village_codes: (string | null)[] }>();
    for (const e of this.pending.values()) {
      const fields = [...e.fields].sort();
      if (e.action !== 'READ' || e.subjectId == null) {
        rows.push({ ...base, action: e.action, subject_type: e.subjectType, subject_id: e.subjectId, village_code: e.villageCode, fields });
        continue;
      }
      const key = `${e.subjectType}\u0000${fields.join(',')}`;
      let group = reads.get(key);
      if (!group) {
        group = { ...base, action: 'READ', subject_type: e.subjectType, subject_id: null, village_code: null, fields, subject_ids: [], village_codes: [] };
        reads.set(key, group);
        rows.push(group);
      }
      group.subject_ids.push(e.subjectId);
      group.village_codes.push(e.villageCode);
    }
    this.pending.clear();
    await writeAuditEntries(database, rows, executor);
  }
}

export interface AuditRow {
  actor: string;
  role: string;
  action: AuditActionName;
  operation: string | null;
  subject_type: string | null;
  subject_id: string | null;
  village_code?: string | null;
  fields: string[];
  request_id: string | null;
  /** READ entries of many subjects (see flush): the ids and, position by position, their villages. */
  subject_ids?: string[];
  village_codes?: (string | null)[];
}

/** Append audit entries in one statement (inside the caller's transaction when given one). */
export async function writeAuditEntries(database: Database, rows: AuditRow[], executor?: Executor): Promise<void> {
  if (rows.length === 0) return;
  await database.execute(sql`
    insert into audit_entries (actor, role, action, operation, subject_type, subject_id, village_code, fields, request_id, subject_ids, village_codes)
    select actor, role, action, operation, subject_type, subject_id, village_code, fields, request_id, subject_ids, village_codes
    from json_populate_recordset(null::audit_entries, ${JSON.stringify(rows)}::json)`, executor);
}
