import { hostname } from 'node:os';
import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import pino, { Level, Logger } from 'pino';

/**
 * What a request log line holds: no bodies, no headers beyond a few, and any run of
 * digits that could be a 身份证号 or phone number masked out of the URL (e.g. /teachers/139…).
 */
export function maskDigits(text: string): string {
  return text.replace(/\d{6,}[\dXx]?/g, (m) => `${m.slice(0, 3)}***`);
}

/**
 * A URL as logged: the path, and the query's names with only short code-like values (ids, page
 * numbers, statuses); free text such as `q=<a teacher's name>` is dropped to `*`. Digits masked.
 */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return maskDigits(url);
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair.slice(0, 40);
      const name = pair.slice(0, eq).slice(0, 40);
      const value = pair.slice(eq + 1);
      return name !== 'q' && /^[A-Za-z0-9_.,:-]{0,40}$/.test(value) ? `${name}=${value}` : `${name}=*`;
    })
    .join('&');
  return maskDigits(`${url.slice(0, at)}?${query}`);
}

/** The root logger: JSON lines on stdout, the level from LOG_LEVEL. */
export function createRootLogger(level: string): Logger {
  return pino({ level, base: { pid: process.pid, hostname: hostname(), app: 'shipei-api' } });
}

/**
 * One line per finished request, written from fastify's onResponse hook: method, masked URL,
 * status, time, request id. This replaces pino-http mounted as Nest middleware, which ran through
 * @fastify/middie once per page-route pattern and kept an AsyncLocalStorage store per request
 * (every promise of the request then paid for async hooks) — about a quarter of a millisecond a
 * request even with request logging off (bench/nominate.bench.ts, CPU profile).
 */
export function registerRequestLog(fastify: FastifyInstance, log: Logger): void {
  if (!log.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (request.url !== '/api/health') {
      const raw = request.raw;
      log.info(
        {
          reqId: request.id,
          req: {
            method: raw.method,
            url: loggedUrl(raw.url ?? ''),
            remoteAddress: request.ip,
            userAgent: raw.headers['user-agent'],
          },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}

/** Nest's LoggerService on pino: the context (Nest passes it last) becomes a field, objects are merged. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    if (rest.length && typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();
    if (message instanceof Error) fields.err = message;
    else if (message && typeof message === 'object') Object.assign(fields, message);
    // Nest's own exception handlers call error(message, stack, context).
    if (level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n    at ')) fields.stack = rest.shift();
    const text = typeof message === 'string' ? message : undefined;
    this.pino[level](fields, text, ...rest);
  }
}
