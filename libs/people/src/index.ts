export * from './identity/mask';
export * from './identity/resident-id';
export * from './migrations/1764374401000-people';
export * from './organisations/organisation.entity';
export * from './teachers/teacher.entity';
