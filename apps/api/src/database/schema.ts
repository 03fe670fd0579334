import { Audit1764374400000, AuditEntry } from '@shipei/audit';
import { Accounts1764374402000, User } from '@shipei/auth';
import { Organisation, People1764374401000, Teacher } from '@shipei/people';

/**
 * The whole schema of the app: every lib's entities and migrations, in dependency order.
 * Used by the app, `npm run migrate` and the tests, so all three see the same schema.
 */
export const ENTITIES = [AuditEntry, Organisation, Teacher, User];

export const MIGRATIONS = [Audit1764374400000, People1764374401000, Accounts1764374402000];
