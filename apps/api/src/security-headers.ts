import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';

/** The security headers of the two kinds of reply, worked out once at boot. */
export interface ReplyHeaders {
  /** Pages, static files, PDFs, workbooks: helmet's whole set. */
  page: Record<string, string>;
  /** JSON answers (API results and every error): the headers that mean something for data. */
  json: Record<string, string>;
}

/**
 * helmet's headers, worked out once. @fastify/helmet rebuilt the whole helmet middleware (parsing
 * every CSP directive) on each request; none of these headers depends on the request, so helmet
 * runs once here against a recording response and every reply gets the recorded headers.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | string[]) =>
      (headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(options)({} as never, recorder as never, (e?: unknown) => (failure = e));
  if (failure) throw failure;
  return headers;
}

/**
 * Pages get helmet's set. A JSON answer is never rendered, so the page directives (script and style
 * sources, XSS auditor, DNS prefetch, download options…) say nothing for it; it gets what the OWASP
 * REST Security Cheat Sheet lists for APIs instead: nothing may load from it or frame it, no MIME
 * sniffing, HTTPS only, and `no-store`, since most answers carry personal data. Half the headers of
 * a page, on the replies the phones and the bureau's tools send most.
 */
export function replyHeaders(options: HelmetOptions): ReplyHeaders {
  const page = securityHeaders(options);
  return {
    page,
    json: {
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
      'strict-transport-security': page['strict-transport-security'],
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    },
  };
}

/** The security headers that fit the reply's content type, and the request's id (`x-request-id`). */
export function setReplyHeaders(request: FastifyRequest, reply: FastifyReply, headers: ReplyHeaders): void {
  const type = reply.getHeader('content-type');
  if (typeof type === 'string' && type.startsWith('application/json')) {
    void reply.headers(headers.json);
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  } else void reply.headers(headers.page);
  void reply.header('x-request-id', request.id);
}

/**
 * Puts {@link setReplyHeaders} on every reply (API, pages, static files, errors) as it is sent, in a
 * synchronous hook (an async one cost a promise and a microtask per reply). Errors fastify answers
 * before routing get them in createApp's frameworkErrors.
 */
export function registerReplyHeaders(fastify: FastifyInstance, headers: ReplyHeaders): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    setReplyHeaders(request, reply, headers);
    done(null, payload);
  });
}
