import { sql } from 'drizzle-orm';
import { enrolmentScope, rowScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { keyList } from '../../lib/sql.js';
import { ENROLMENT_RECORD, PERSON_RECORD, verificationColumns, verificationJoins } from './verification.sql.js';
import type { Verification } from './verification.types.js';

export type VerificationRow = Verification & { id: string };

/**
 * Verification of persons and enrolments by id, one statement per batch, scoped like every read
 * of those rows (a record out of scope has no verification row). The civil registry itself is
 * reference data, not scoped: it is only read through a visible record's NIK.
 */
export class VerificationService {
  constructor(private readonly database: Database) {}

  ofPersons(viewer: Viewer, ids: readonly string[]): Promise<VerificationRow[]> {
    return this.database.execute<VerificationRow>(sql`
      select p.id, ${verificationColumns(PERSON_RECORD)}
      from persons p ${verificationJoins(PERSON_RECORD)}
      where p.id in ${keyList(ids)} and ${rowScope(viewer, 'p')}`);
  }

  ofEnrolments(viewer: Viewer, ids: readonly string[]): Promise<VerificationRow[]> {
    return this.database.execute<VerificationRow>(sql`
      select e.id, ${verificationColumns(ENROLMENT_RECORD)}
      from enrolments e ${verificationJoins(ENROLMENT_RECORD)}
      where e.id in ${keyList(ids)} and ${enrolmentScope(viewer, 'e')}`);
  }
}
