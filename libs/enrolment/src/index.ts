export * from './enrolment.entity';
export * from './migrations/1764374411000-enrolment';
