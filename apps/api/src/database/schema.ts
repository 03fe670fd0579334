/**
 * The whole schema of the app: every lib's entities and migrations, in dependency order.
 * Used by the app, `npm run migrate` and the tests, so all three see the same schema.
 */
export const ENTITIES = [];

export const MIGRATIONS = [];
