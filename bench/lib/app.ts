import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@shipei/api/create-app';
import { AppConfig, loadAppConfig } from '@shipei/core';
import { DataSource } from 'typeorm';

export interface HttpReply<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the reply is JSON, else the text. */
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** A bearer token, sent as `authorization: Bearer …`. */
  token?: string;
  headers?: Record<string, string>;
}

/** The running app as a benchmark's setup hook sees it. */
export interface BenchApp {
  nest: NestFastifyApplication;
  config: AppConfig;
  dataSource: DataSource;
  /** http://127.0.0.1:<port> */
  url: string;
  /** The first admin's password (the admin user is `admin`). */
  adminPassword: string;
  /** One request to the app, e.g. to seed data through the API. */
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<HttpReply<T>>;
  /** `POST /api/v1/auth/login` → the access token; throws unless the login succeeds. */
  login(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the full app in this process (createApp, the same as main.ts, migrations included)
 * on a random loopback port and on `databaseUrl`. It runs with NODE_ENV=production, a random
 * JWT secret and a known admin password; LOG_LEVEL defaults to warn (no request logs).
 * `env` overrides any of these.
 */
export async function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<BenchApp> {
  const adminPassword = `Bench${randomBytes(6).toString('hex')}7`;
  const config = loadAppConfig({
    NODE_ENV: 'production',
    PORT: '0',
    PUBLIC_BASE_URL: 'http://127.0.0.1',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const nest = await createApp(config);
  await nest.listen(0, '127.0.0.1');
  const { port } = nest.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const request = async <T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<HttpReply<T>> => {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, headers: res.headers, body: (isJson && text ? JSON.parse(text) : text) as T };
  };

  return {
    nest,
    config,
    dataSource: nest.get(DataSource),
    url,
    adminPassword: config.adminPassword ?? adminPassword,
    request,
    login: async (username, password) => {
      const r = await request('POST', '/api/v1/auth/login', { body: { username, password } });
      if (r.status >= 300 || !r.body?.accessToken)
        throw new Error(`login as ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.accessToken as string;
    },
    close: () => nest.close(),
  };
}
