/**
 * Enrolment classes the pages need that the lib does not export through its index: the bulk
 * nomination use case. Imported by path (as shared/lib-imports.ts does for
 * other libs); switch to `@shipei/enrolment` once the lib re-exports them.
 */
export { NominationImportService } from '../../../../../libs/enrolment/src/nominations/nomination-import.service';
