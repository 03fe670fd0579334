export * from './domain-event.entity';
export * from './domain-events';
export * from './migrations/1796610000000-domain-events';
export * from './event-relay';
export * from './migrations/1796628000000-event-relay';
