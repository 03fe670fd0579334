import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createApp } from '@shipei/api/create-app';
import { AppConfig, loadAppConfig } from '@shipei/core';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from './test-database';

export const ADMIN_PASSWORD = 'Admin12345';
export const TEST_JWT_SECRET = 'test-secret-0123456789-abcdefghijklmnop';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  db: DataSource;
  config: AppConfig;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real app on a fresh database (SQLite, or MySQL when TEST_DATABASE_URL says so). */
export async function startTestApp(env: Record<string, string> = {}, database?: TestDatabase): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  const config = loadAppConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_PASSWORD,
    PUBLIC_BASE_URL: 'http://shipei.test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const app = await createApp(config);
  const http = request(app.getHttpServer());
  return {
    app,
    http,
    db: app.get(getDataSourceToken()),
    config,
    database: db,
    close: async () => {
      await app.close();
      if (!database) await db.drop();
    },
  };
}
