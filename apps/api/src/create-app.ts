import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HelmetOptions } from 'helmet';
import { AppConfig, applyPerformancePatches, mapError, MAX_UPLOAD_BYTES } from '@shipei/core';
import { AppModule } from './app.module';
import { createRootLogger, PinoNestLogger, registerRequestLog } from './logging';
import { setupOpenApi } from './openapi';
import { registerReplyHeaders, replyHeaders, setReplyHeaders } from './security-headers';
import { PAGE_ROUTES, registerWeb } from '@shipei/web';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export const BODY_LIMIT = 1024 * 1024;

/**
 * Builds the whole app (HTTP wiring, docs, migrations) without listening, so main.ts,
 * the tests and the benchmarks run exactly the same thing.
 */
export async function createApp(
  config: AppConfig,
  opts: { bufferLogs?: boolean } = {},
): Promise<NestFastifyApplication> {
  const log = createRootLogger(config.logLevel);
  // The speed-ups that reach into dependencies (libs/core/src/perf), each only on the version it was
  // written for; process-wide and idempotent, so a second app in the same process changes nothing.
  applyPerformancePatches((message) => log.warn(message));
  const headers = replyHeaders(helmetOptions(config));
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    // X-Forwarded-For only from the configured proxies (TRUSTED_PROXIES): the client is the last entry
    // not written by one of them. Trusting any private peer let every intranet client set its own
    // address, escaping the login throttle and forging the audit log's address.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    // The request id: the caller's X-Request-Id when it looks like one, else a new UUID.
    genReqId: (raw: any) => {
      const given = raw.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Errors fastify's router answers itself, before Nest (a path parameter over 100 characters, a
    // malformed %-escape in the path): the same Chinese error body as every other refusal.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const mapped = mapError(error);
      void reply.code(mapped.status).header('content-type', 'application/json; charset=utf-8');
      setReplyHeaders(request, reply, headers);
      void reply.send(mapped.body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: opts.bufferLogs ?? true,
    abortOnError: false,
  });
  app.useLogger(new PinoNestLogger(log));
  app.setGlobalPrefix('api', { exclude: PAGE_ROUTES });
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  registerRequestLog(fastify, log);
  registerReplyHeaders(fastify, headers);
  await app.register(multipart as any, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 12 } });
  await registerWeb(app, config);

  setupOpenApi(app, config);
  await app.init();
  await fastify.ready();
  return app;
}

/** helmet's options: the pages' Content-Security-Policy, same-origin referrers. */
function helmetOptions(config: AppConfig): HelmetOptions {
  return {
    // Same-origin requests keep their Origin/Referer (the pages' forms are checked against it); other sites get none.
    referrerPolicy: { policy: 'same-origin' },
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // Only behind https: on a plain-http intranet address it would send the pages' CSS, JS and forms to https.
        upgradeInsecureRequests: config.publicBaseUrl.startsWith('https://') ? [] : null,
      },
    },
  };
}
