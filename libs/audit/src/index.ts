export * from './audit-entry.entity';
export * from './audit.module';
export * from './audit.service';
export * from './dto/audit-query.dto';
export * from './migrations/1764374400000-audit';
