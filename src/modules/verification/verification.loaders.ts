import type { Viewer } from '../../auth/viewer.js';
import { byKeyLoader } from '../../lib/loaders.js';
import type { VerificationRow, VerificationService } from './verification.service.js';

/** Per request: the verification of every person or enrolment a response shows, one statement per batch. */
export function createVerificationLoaders(service: VerificationService, viewer: Viewer) {
  return {
    verificationByPerson: byKeyLoader<VerificationRow>((ids) => service.ofPersons(viewer, ids), (v) => v.id),
    verificationByEnrolment: byKeyLoader<VerificationRow>((ids) => service.ofEnrolments(viewer, ids), (v) => v.id),
  };
}
