export * from './migrations/1764374402000-accounts';
export * from './user.entity';
