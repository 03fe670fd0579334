import { createHash, createHmac } from 'node:crypto';
import dns from 'node:dns';
import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Aliyun or Tencent Cloud SMS API: it checks each request the official SDK
 * sends against the provider's published format and signature (Aliyun ACS3-HMAC-SHA256, Tencent
 * TC3-HMAC-SHA256), recomputed here from the raw request and the shared secret, and answers as the
 * provider does. A request with a bad signature gets the provider's signature error.
 */
export interface SmsRequest {
  provider: 'aliyun' | 'tencent';
  signatureOk: boolean;
  phone: string;
  signName: string;
  template: string;
  params: string[] | Record<string, string>;
  /** OutId (Aliyun) / SessionContext (Tencent): the delivery id. */
  ref: string;
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();
/** RFC 3986 percent-encoding, as both providers canonicalise. */
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export async function startSmsGateway(
  provider: 'aliyun' | 'tencent',
  keyId: string,
  secret: string,
): Promise<{ url: string; requests: SmsRequest[]; fail: { code: string | null }; close(): Promise<void> }> {
  const requests: SmsRequest[] = [];
  const fail = { code: null as string | null };
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const json = (status: number, o: object) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(o));
    if (provider === 'aliyun') {
      const r = aliyun(req, body, keyId, secret);
      requests.push(r);
      if (!r.signatureOk)
        return json(400, { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched.' });
      if (fail.code) return json(200, { Code: fail.code, Message: '触发号码天级流控' });
      return json(200, { Code: 'OK', Message: 'OK', BizId: `biz-${requests.length}`, RequestId: 'r' });
    }
    const r = tencent(req, body, keyId, secret);
    requests.push(r);
    if (!r.signatureOk)
      return json(200, {
        Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: '签名错误' }, RequestId: 'r' },
      });
    const code = fail.code ?? 'Ok';
    return json(200, {
      Response: {
        SendStatusSet: [
          {
            SerialNo: 's',
            PhoneNumber: `+86${r.phone}`,
            Fee: 1,
            SessionContext: r.ref,
            Code: code,
            Message: code === 'Ok' ? 'send success' : '失败',
            IsoCode: 'CN',
          },
        ],
        RequestId: 'r',
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Tencent's SDK takes the service it signs for from the endpoint's first label
  // (sms.tencentcloudapi.com → sms), so the gateway gets a name of that shape, resolved to loopback.
  if (provider === 'tencent') resolveToLoopback(GATEWAY_HOST);
  return {
    url: `http://${provider === 'tencent' ? GATEWAY_HOST : '127.0.0.1'}:${port}`,
    requests,
    fail,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const GATEWAY_HOST = 'sms.gateway.test';

/** Name resolution of this process: `host` → 127.0.0.1 (what an /etc/hosts line would do). */
function resolveToLoopback(host: string): void {
  const original = dns.lookup as any;
  if (original.loopbackHosts) return void original.loopbackHosts.add(host);
  const patched: any = (name: string, opts: any, cb?: any) => {
    if (!patched.loopbackHosts.has(name)) return original(name, opts, cb);
    const callback = typeof opts === 'function' ? opts : cb;
    const all = typeof opts === 'object' && opts?.all;
    process.nextTick(() =>
      all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4),
    );
  };
  patched.loopbackHosts = new Set([host]);
  (dns as any).lookup = patched;
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Aliyun RPC, signature v3: https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature */
function aliyun(req: IncomingMessage, body: Buffer, keyId: string, secret: string): SmsRequest {
  const url = new URL(req.url!, 'http://x');
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(
    String(req.headers.authorization),
  );
  const q = Object.fromEntries(url.searchParams);
  let signatureOk = false;
  if (
    auth &&
    auth[1] === keyId &&
    req.headers['x-acs-action'] === 'SendSms' &&
    req.headers['x-acs-version'] === '2017-05-25'
  ) {
    const signed = auth[2].split(';');
    const query = [...url.searchParams.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
      .join('&');
    const headers = signed.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
    const payloadHash = sha256(body);
    const canonical = [req.method, url.pathname, query, headers, signed.join(';'), payloadHash].join('\n');
    const expected = hmac(secret, `ACS3-HMAC-SHA256\n${sha256(canonical)}`).toString('hex');
    signatureOk =
      expected === auth[3] &&
      req.headers['x-acs-content-sha256'] === payloadHash &&
      signed.includes('host') &&
      signed.includes('x-acs-date') &&
      signed.includes('x-acs-signature-nonce');
  }
  return {
    provider: 'aliyun',
    signatureOk,
    phone: q.PhoneNumbers,
    signName: q.SignName,
    template: q.TemplateCode,
    params: JSON.parse(q.TemplateParam ?? '{}'),
    ref: q.OutId,
  };
}

/** Tencent Cloud API 3.0, TC3-HMAC-SHA256: https://cloud.tencent.com/document/api/382/52071 */
function tencent(req: IncomingMessage, body: Buffer, keyId: string, secret: string): SmsRequest {
  const auth =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/sms\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
      String(req.headers.authorization),
    );
  const p = JSON.parse(body.toString('utf8') || '{}');
  let signatureOk = false;
  if (
    auth &&
    auth[1] === keyId &&
    req.headers['x-tc-action'] === 'SendSms' &&
    req.headers['x-tc-version'] === '2021-01-11'
  ) {
    const [, , date, signedList, signature] = auth;
    const signed = signedList.split(';');
    const timestamp = String(req.headers['x-tc-timestamp']);
    // Host is signed as the endpoint's host name (the SDK signs urlObj.hostname: no port).
    const value = (h: string) =>
      h === 'host' ? String(req.headers.host).replace(/:\d+$/, '') : String(req.headers[h] ?? '');
    const headers = signed.map((h) => `${h}:${value(h).trim().toLowerCase()}\n`).join('');
    const url = new URL(req.url!, 'http://x');
    const canonical = [req.method, url.pathname, url.search.slice(1), headers, signedList, sha256(body)].join('\n');
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/sms/tc3_request\n${sha256(canonical)}`;
    const key = hmac(hmac(hmac(`TC3${secret}`, date), 'sms'), 'tc3_request');
    signatureOk =
      createHmac('sha256', key).update(toSign).digest('hex') === signature &&
      new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) === date &&
      signed.includes('host') &&
      signed.includes('content-type');
  }
  return {
    provider: 'tencent',
    signatureOk,
    phone: String(p.PhoneNumberSet?.[0] ?? '').replace(/^\+86/, ''),
    signName: p.SignName,
    template: p.TemplateId,
    params: p.TemplateParamSet ?? [],
    ref: p.SessionContext,
  };
}
