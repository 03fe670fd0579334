import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@shipei/core';
import { createViewEngine } from './shared/view-helpers';

/**
 * Where the templates and the static files are. Resolved from this file, so the same code finds
 * them in the sources (jest) and in the build, where nest-cli copies `views/**` and `public/**`
 * next to the compiled `web/` folder (dist/apps/api/apps/api/src/{web,views,public}).
 */
export const VIEWS_DIR = resolve(__dirname, '..', 'assets', 'views');
export const PUBLIC_DIR = resolve(__dirname, '..', 'assets', 'public');

/** URL prefix of the static files (CSS, JS). */
export const ASSETS_PREFIX = '/assets/';

/** The service worker's file in PUBLIC_DIR. */
export const SERVICE_WORKER = 'offline-sw.js';

/**
 * Page routes live outside the global `/api` prefix. Add a pattern here when a new page area
 * needs a new top-level path (path-to-regexp syntax of Nest's `exclude`). `/` itself is a plain
 * fastify route (see registerWeb).
 */
export const PAGE_ROUTES = ['login', 'logout', 'password', 'app{/*path}', 'verify/:code', 'checkin{/*path}'];

/** Every `.hbs` file under views/partials, registered as a partial named by its path (`pagination`, `forms/field`). */
function partials(): Record<string, string> {
  const dir = join(VIEWS_DIR, 'partials');
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.hbs'))
        out[
          relative(dir, p)
            .replace(/\\/g, '/')
            .replace(/\.hbs$/, '')
        ] = relative(VIEWS_DIR, p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/**
 * Browser libraries served from their npm packages (production dependencies, so present wherever the
 * app runs), never from a CDN: the phones in a training hall may have no network but ours.
 * jsQR decodes the camera's frames on the trainer's pass scanner; @noble/ed25519 verifies a pass on a
 * browser whose WebCrypto has no Ed25519 yet (Chromium before 137, older Android WebViews).
 */
export const VENDOR_SCRIPTS: Record<string, string> = {
  'jsqr.js': require.resolve('jsqr'),
  'ed25519.js': require.resolve('@noble/ed25519'),
};

/** A short hash of the static files (ours and the vendored ones), appended to their URLs so browsers may cache them for long. */
function assetVersion(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(PUBLIC_DIR).sort()) h.update(f).update(readFileSync(join(PUBLIC_DIR, f)));
  for (const [name, file] of Object.entries(VENDOR_SCRIPTS)) h.update(name).update(readFileSync(file));
  return h.digest('hex').slice(0, 10);
}

/**
 * The fastify plugins the pages need: cookies (the login token and flash messages), server-rendered
 * Handlebars views and the static CSS/JS. Called by createApp before init. HTML form bodies
 * (application/x-www-form-urlencoded) are parsed by Nest's Fastify adapter itself, with its
 * prototype-poisoning check, so @fastify/formbody is not registered (it would clash with it).
 */
export async function registerWeb(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(cookie as any, { hook: 'onRequest' });
  await app.register(view as any, {
    engine: { handlebars: createViewEngine() },
    root: VIEWS_DIR,
    viewExt: 'hbs',
    // Compiled templates are cached except in development, where edits show on reload.
    production: config.nodeEnv !== 'development',
    options: { partials: partials() },
    defaultContext: { platformName: config.platformName, assetVersion: assetVersion() },
  });
  // The site's root opens the app (which sends visitors who are not signed in to the login page).
  app
    .getHttpAdapter()
    .getInstance()
    .get('/', (_req, reply) => {
      void reply.header('cache-control', 'no-store').redirect('/app', 302);
    });
  // Browsers ask for /favicon.ico where a page (a PDF, a JSON answer) names no icon.
  app
    .getHttpAdapter()
    .getInstance()
    .get('/favicon.ico', (_req, reply) => {
      void reply.redirect(`${ASSETS_PREFIX}favicon.svg`, 301);
    });
  await app.register(fastifyStatic as any, {
    root: PUBLIC_DIR,
    prefix: ASSETS_PREFIX,
    // URLs carry ?v=<hash of the files>, so a long cache is safe.
    maxAge: '7d',
    immutable: true,
    index: false,
    list: false,
    decorateReply: false,
    // The offline service worker lives with the other scripts but controls pages under /app/ (it
    // registers itself only for the pass scanner and the teacher's pass page: see offline-sw.js).
    setHeaders: (reply: { header(name: string, value: string): unknown }, path: string) => {
      if (path.endsWith(`/${SERVICE_WORKER}`)) reply.header('service-worker-allowed', '/app/');
    },
  });
  const vendor = Object.entries(VENDOR_SCRIPTS).map(([name, file]) => ({ name, body: readFileSync(file) }));
  for (const { name, body } of vendor)
    app
      .getHttpAdapter()
      .getInstance()
      .get(`${ASSETS_PREFIX}vendor/${name}`, (_req, reply) => {
        void reply
          .header('content-type', 'text/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=604800, immutable')
          .send(body);
      });
}
