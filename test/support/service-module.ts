import 'reflect-metadata';
import { Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ENTITIES, MIGRATIONS } from '@shipei/api/database/schema';
import { AuditModule } from '@shipei/audit';
import { Actor, applyPerformancePatches, CoreModule, loadAppConfig } from '@shipei/core';
import { DataSource } from 'typeorm';
import { TEST_JWT_SECRET } from './test-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface ServiceModule {
  module: TestingModule;
  db: DataSource;
  database: TestDatabase;
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

/**
 * The service tier: CoreModule, the audit log (a global module every domain lib writes to, as in the
 * app) and ONE domain module with what it imports, on a freshly migrated database of either engine
 * (TEST_DATABASE_URL), without HTTP. For rules that need the database but not the request: call the
 * service with an actor, assert the result or the domain error.
 *
 * A dependency the module does not import fails the compile with Nest's "can't resolve dependencies"
 * — read THAT error: the data source is opened by an async provider at the same time, and when jest
 * tears the suite down under it, its late require()s come back undefined ("this.sqlite is not a
 * constructor", mysql2 `createPool` undefined) and TypeORM retries, logging them after the test.
 */
export async function startServiceModule(domain: Type<unknown>): Promise<ServiceModule> {
  // The same dependency patches as createApp (process-wide, idempotent): the tier runs the app's code paths.
  applyPerformancePatches(() => undefined);
  const database = await createTestDatabase();
  const config = loadAppConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_JWT_SECRET,
    PUBLIC_BASE_URL: 'http://shipei.test',
    LOG_LEVEL: 'silent',
  });
  const module = await Test.createTestingModule({
    imports: [CoreModule.forRoot({ config, entities: ENTITIES, migrations: MIGRATIONS }), AuditModule, domain],
  }).compile();
  await module.init();
  return {
    module,
    db: module.get(getDataSourceToken()),
    database,
    get: (type) => module.get(type, { strict: false }),
    close: async () => {
      await module.close();
      await database.drop();
    },
  };
}

/** An actor as the auth guard builds it from a token (user 0: no account row needed). */
export function actorOf(role: Actor['role'], over: Partial<Actor> = {}): Actor {
  return { userId: 0, role, organisationId: null, countyId: null, teacherId: null, ...over };
}
