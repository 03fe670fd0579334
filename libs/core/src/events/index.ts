export * from './domain-event.entity';
export * from './domain-events';
export * from './migrations/1796610000000-domain-events';
