export * from './decimal';
export * from './programs/program.entity';
export * from './quotas/county-quota.entity';
export * from './cohorts/cohort.entity';
export * from './cohorts/cohort-trainer.entity';
export * from './sessions/training-session.entity';
export * from './migrations/1764374410000-programs';
