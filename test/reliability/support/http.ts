/** Small fetch helpers for apps running in another process (JSON calls and .xlsx uploads). */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  ms: number;
}

export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const started = Date.now();
  const res = await fetch(base + path, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text, ms: Date.now() - started };
}

/** Same, throwing unless the status is the expected one (default: any 2xx). */
export async function ok(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; status?: number } = {},
): Promise<any> {
  const r = await call(base, method, path, opts);
  const good = opts.status ? r.status === opts.status : r.status >= 200 && r.status < 300;
  if (!good) throw new Error(`${method} ${path} → ${r.status} ${r.text.slice(0, 600)}`);
  return r.body;
}

/** POSTs an .xlsx as multipart field `file`. */
export async function upload(
  base: string,
  path: string,
  token: string,
  content: Buffer,
  filename = 'list.xlsx',
  timeoutMs = 300_000,
): Promise<Reply> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type: XLSX_MIME }), filename);
  const started = Date.now();
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text, ms: Date.now() - started };
}

export async function loginAt(base: string, username: string, password: string): Promise<string> {
  const body = await ok(base, 'POST', '/api/v1/auth/login', { body: { username, password } });
  return body.accessToken as string;
}

/** A county admin of `countyId` whose one-time password is already changed; returns its token. */
export async function countyAdminAt(base: string, admin: string, countyId: number, username: string): Promise<string> {
  await ok(base, 'POST', '/api/v1/users', {
    token: admin,
    body: { username, password: 'Init1234x', role: 'COUNTY_ADMIN', organisationId: countyId },
    status: 201,
  });
  const first = await loginAt(base, username, 'Init1234x');
  const changed = await ok(base, 'POST', '/api/v1/auth/password', {
    token: first,
    body: { currentPassword: 'Init1234x', newPassword: 'County1234' },
  });
  return changed.accessToken as string;
}
