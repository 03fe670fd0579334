import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { AccessPolicy } from './access/access-policy';
import { AppConfig } from './config/app-config';
import { connectionOptions } from './database/database-url';
import { migrate } from './database/migrate';
import { openDataSource } from './database/open-data-source';
import { TransactionRunner } from './database/transaction-runner';
import { Clock } from './time/clock';
import { DomainEvents } from './events/domain-events';
import { EventRelay } from './events/event-relay';
import { SharedRateLimitGuard } from './http/rate-limit';
import { RateCounters } from './rate-limit/rate-counters';
import { WorkerPool } from './workers/worker-pool';

export interface CoreModuleOptions {
  config: AppConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

export function dataSourceOptions(opts: CoreModuleOptions): DataSourceOptions {
  return {
    ...connectionOptions(opts.config.databaseUrl),
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as DataSourceOptions;
}

/**
 * Configuration and the database, for every module. The data source is migrated before
 * any module starts, so seeders and services always see the current schema.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(opts: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ app: opts.config })] }),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(opts),
          dataSourceFactory: async (options) => {
            const ds = await openDataSource(options!);
            await migrate(ds);
            return ds;
          },
        }),
      ],
      providers: [
        { provide: AppConfig, useValue: opts.config },
        TransactionRunner,
        AccessPolicy,
        Clock,
        DomainEvents,
        EventRelay,
        RateCounters,
        SharedRateLimitGuard,
        WorkerPool,
      ],
      exports: [
        AppConfig,
        TransactionRunner,
        AccessPolicy,
        Clock,
        DomainEvents,
        EventRelay,
        RateCounters,
        SharedRateLimitGuard,
        WorkerPool,
      ],
    };
  }
}
