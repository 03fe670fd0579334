/**
 * Hostile requests for every operation of an OpenAPI 3 document (the app's own /api/docs-json), as
 * fast-check arbitraries: valid-looking bodies with fields swapped for wrong types, huge strings,
 * deep nesting, unicode edge cases (full-width digits and Ｘ in 身份证号, zero-width characters,
 * emoji), SQL and HTML/script payloads, negative and huge numbers and bad dates; missing required
 * and extra (mass-assignment) fields; whole bodies of the wrong shape or not JSON at all; bad ids in
 * path parameters and bad or unknown query parameters.
 */
import fc from 'fast-check';
import { makeIdNumber } from '../../support/fixtures';

type Schema = Record<string, any>;

export interface ParamSpec {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/v1/programs/{id}/open */
  path: string;
  params: ParamSpec[];
  /** JSON request body schema, when the operation takes one. */
  body?: Schema;
  /** The operation takes a multipart upload instead of JSON. */
  multipart: boolean;
  public: boolean;
}

/** A JSON text fragment written as is (numbers JSON.stringify cannot produce, deep nesting, broken JSON). */
export class Raw {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text.length > 80 ? `Raw(${this.text.slice(0, 40)}…${this.text.length} chars)` : `Raw(${this.text})`;
  }
}

/** JSON text of a value that may hold {@link Raw} pieces and own `__proto__`/`constructor` keys. */
export function toJson(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)}:${toJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function deref(doc: any, s: Schema | undefined): Schema {
  if (!s) return {};
  if (s.$ref)
    return deref(
      doc,
      s.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((o: any, k: string) => o?.[k], doc),
    );
  if (s.allOf)
    return s.allOf.reduce(
      (acc: Schema, part: Schema) => {
        const p = deref(doc, part);
        return {
          ...acc,
          ...p,
          properties: { ...acc.properties, ...p.properties },
          required: [...(acc.required ?? []), ...(p.required ?? [])],
        };
      },
      { ...s, allOf: undefined },
    );
  if (s.type === 'array') return { ...s, items: deref(doc, s.items) };
  if (s.properties)
    return {
      ...s,
      properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, deref(doc, v as Schema)])),
    };
  return s;
}

export function operationsOf(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      ops.push({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? [])
          .filter((p: any) => p.in === 'path' || p.in === 'query')
          .map((p: any) => ({ name: p.name, in: p.in, required: !!p.required, schema: deref(doc, p.schema) })),
        body: content['application/json'] ? deref(doc, content['application/json'].schema) : undefined,
        multipart: !!content['multipart/form-data'],
        public: !op.security,
      });
    }
  }
  return ops;
}

// ——— hostile values ———

const VALID_ID = makeIdNumber(123, '371302');
const zeroWidth = (s: string) => `${s.slice(0, 6)}\u200b${s.slice(6)}`;
const fullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

export const HOSTILE_STRINGS: string[] = [
  '',
  ' ',
  '\u3000',
  '\t\r\n',
  fullWidth(VALID_ID),
  `${VALID_ID.slice(0, 17)}Ｘ`,
  `${makeIdNumber(124).slice(0, 17)}x`,
  zeroWidth(VALID_ID),
  `${VALID_ID}\u200b`,
  `\ufeff${VALID_ID}`,
  `${VALID_ID.slice(0, 17)}0`,
  '１３９１２３４５６７８',
  '+8613912345678',
  '139 1234 5678',
  '13912345678\u200d',
  '张\u200b三',
  '张三😀',
  '👨‍👩‍👧‍👦',
  '\u202e三张',
  'é',
  'Ａｄｍｉｎ',
  '\ud800',
  '\udfff\ud800',
  'a\u0000b',
  '\u0000',
  '\u001b[31m',
  '𠮷野家',
  "' OR '1'='1",
  '1; DROP TABLE teacher; --',
  "admin'--",
  '" OR ""="',
  '\\',
  '%',
  '_%',
  "1' UNION SELECT passwordHash FROM user_account --",
  '1) OR (1=1',
  '$where',
  '{"$gt":""}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "{{constructor.constructor('return process')()}}",
  '{{#each this}}{{/each}}',
  '${7*7}',
  '=HYPERLINK("http://evil.example","x")',
  '@SUM(1+1)',
  '+1+1',
  '-1+1',
  '2019-02-30',
  '2019-13-01',
  '0000-00-00',
  '2019-06-31',
  '99999-01-01',
  '2019-1-1',
  '2019-06-01T25:61:00Z',
  '1970-01-01T00:00:00+99:00',
  '-000001-01-01T00:00:00Z',
  '2019-07-08T08:00:00',
  'yesterday',
  '2019/07/08',
  'NaN',
  'Infinity',
  '-Infinity',
  'null',
  'undefined',
  'true',
  '0x10',
  '1e309',
  '  42  ',
  '-0',
  '0',
  '-1',
  '1.5',
  '١٢٣',
  '../../etc/passwd',
  '%00',
  'constructor',
  '__proto__',
  'prototype',
];

const LONG_STRINGS = ['a'.repeat(5_000), '中'.repeat(30_000), 'x'.repeat(200_000), `${'😀'.repeat(2_000)}`];

export const HOSTILE_NUMBERS: unknown[] = [
  -1,
  0,
  -2147483648,
  2147483648,
  -2147483649,
  4294967296,
  1.5,
  0.1,
  1e-7,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  new Raw('9007199254740993'),
  new Raw('123456789012345678901234567890'),
  new Raw('1e309'),
  new Raw('-1e309'),
  new Raw('1.0000000000000000000001'),
  new Raw('-0'),
  new Raw('1E3'),
];

const deepArray = (n: number) => new Raw(`${'['.repeat(n)}${']'.repeat(n)}`);
const deepObject = (n: number) => new Raw(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);

export const HOSTILE_SHAPES: unknown[] = [
  null,
  true,
  false,
  [],
  {},
  [1, 'a', null],
  { a: { b: { c: 1 } } },
  [[[[[]]]]],
  deepArray(64),
  deepArray(5_000),
  deepObject(64),
  deepObject(3_000),
  { __proto__: null, length: 1e9 },
];

/** Broken JSON texts sent as a body with content-type application/json. */
const BROKEN_JSON = [
  '{',
  '{"a":',
  "{'a':1}",
  'nul',
  '[1,2',
  '{"a":1}}',
  '\u0000',
  '{"a":1,}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '"just a string"',
  '12',
  'true',
];

/** Field names a create/update body must never be able to set (mass assignment). */
export const MASS_ASSIGNMENT = [
  'id',
  'role',
  'organisationId',
  'countyId',
  'status',
  'createdAt',
  'updatedAt',
  'passwordHash',
  'approvedCount',
  'certificateSeq',
  'nominatedCount',
  'ownerOrganisationId',
  'teacherId',
  'mustChangePassword',
  'failedLogins',
];

export const hostileString = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 6 },
  { arbitrary: fc.constantFrom(...LONG_STRINGS), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 5 },
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 3 },
  { arbitrary: fc.constantFrom(...HOSTILE_SHAPES), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double({ noNaN: true }), weight: 1 },
);

// ——— plausible values ———

/** Ids that exist now, per kind (table), supplied by the test; read when a value is generated. */
export type IdPool = (kind: string) => (number | string)[];

/** The table an id field or a path segment refers to. */
export function kindOf(name: string, segment?: string): string | null {
  const key = (segment ?? name).toLowerCase();
  const table: [RegExp, string][] = [
    [/^(organisations|school|county|parent|organisation|receivingschool)/, 'organisation'],
    [/^(teachers|teacher)/, 'teacher'],
    [/^(users|user|actor|trainer|headtrainer)/, 'user_account'],
    [/^(programs|program)/, 'program'],
    [/^(cohorts|cohort)/, 'cohort'],
    [/^(sessions|session)/, 'training_session'],
    [/^(enrolments|enrolment)/, 'enrolment'],
    [/^(certificates|certificate)/, 'certificate'],
    [/^(schemes|scheme)/, 'scheme'],
    [/^(placements|placement)/, 'placement'],
    [/^(teams|team)/, 'placement_team'],
    [/^(leave-requests|leaverequest)/, 'leave_request'],
    // A survey answer's questionId: the questions of the forms that exist.
    [/^question/, 'survey_question'],
    [/^(items|item)$/, 'assessment_item'],
  ];
  return table.find(([re]) => re.test(key.replace(/ids?$/, '')))?.[1] ?? null;
}

function idOf(pool: IdPool, kind: string | null): fc.Arbitrary<number> {
  return fc.oneof(
    {
      arbitrary: fc.constant(null).chain(() => {
        const ids = (kind ? pool(kind) : []).map(Number);
        return ids.length ? fc.constantFrom(...ids) : fc.integer({ min: 1, max: 50 });
      }),
      weight: 5,
    },
    { arbitrary: fc.integer({ min: 1, max: 10_000 }), weight: 1 },
  );
}

const TEXTS = [
  '测试',
  '张三',
  '临沂市第一中学',
  '2019年暑期培训',
  '兰山区',
  '语文',
  '数学',
  '同意',
  '身体不适',
  'Test 1',
  '备注',
];

function dateText(name: string): fc.Arbitrary<string> {
  const days = fc.integer({ min: -400, max: 400 }).map((d) => new Date(Date.UTC(2019, 6, 8) + d * 86_400_000));
  return /At$|deadline|from|to$/i.test(name)
    ? days.map((d) => d.toISOString())
    : days.map((d) => d.toISOString().slice(0, 10));
}

/** A value that satisfies the schema as far as the schema says (ids from the pool where the name says so). */
export function plausible(schema: Schema, name: string, pool: IdPool, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'integer':
    case 'number': {
      if (/Ids?$/.test(name) || name === 'id') return idOf(pool, kindOf(name));
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? Math.max(min + 100, typeof schema.example === 'number' ? schema.example * 2 : 100);
      const range = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
      if (/threshold|rate/i.test(name)) return fc.constantFrom(0, 0.5, 0.8, 1);
      return typeof schema.example === 'number' ? fc.oneof(fc.constant(schema.example), range) : range;
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(plausible(schema.items ?? {}, name, pool, depth + 1), { maxLength: 3 });
    case 'object':
      return depth > 3 ? fc.constant({}) : plausibleObject(schema, pool, depth + 1);
    case 'string':
    default: {
      if (
        schema.format === 'date' ||
        schema.format === 'date-time' ||
        /date|Date|deadline|term(Start|End)|At$|^from$|^to$/.test(name)
      )
        return dateText(name + (schema.format === 'date-time' ? 'At' : ''));
      if (/idNumber/.test(name)) return fc.integer({ min: 1, max: 9_999 }).map((n) => makeIdNumber(900_000 + n));
      if (/phone|username/i.test(name))
        return fc.integer({ min: 0, max: 99_999_999 }).map((n) => `137${String(n).padStart(8, '0')}`);
      if (/password/i.test(name)) return fc.constantFrom('Passw0rd123', 'Admin12345', 'short');
      if (/prefix/i.test(name)) return fc.constantFrom('LYGG', 'FZ', 'ABCD');
      if (/code$/i.test(name)) return fc.constantFrom('ABCDEFGHIJKLMNOPQRSTUV', 'X1');
      const base =
        typeof schema.example === 'string'
          ? fc.oneof(fc.constant(schema.example), fc.constantFrom(...TEXTS))
          : fc.constantFrom(...TEXTS);
      return base.map((s) => (schema.maxLength && s.length > schema.maxLength ? s.slice(0, schema.maxLength) : s));
    }
  }
}

function plausibleObject(schema: Schema, pool: IdPool, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries<Schema>(schema.properties ?? {});
  const required = new Set<string>(schema.required ?? []);
  if (!props.length) return fc.constant({});
  return fc.record(Object.fromEntries(props.map(([k, s]) => [k, plausible(s, k, pool, depth)])), {
    requiredKeys: props.filter(([k]) => required.has(k)).map(([k]) => k),
  }) as fc.Arbitrary<Record<string, unknown>>;
}

// ——— whole requests ———

export interface FuzzRequest {
  method: string;
  url: string;
  /** JSON text (or broken JSON), sent with content-type application/json. */
  payload?: string;
  actor: 'city' | 'county';
  /** What was mutated, for failure messages. */
  note: string;
}

/** encodeURIComponent that cannot throw: lone surrogates (which a URL cannot carry) become U+FFFD. */
export function encode(s: string): string {
  return encodeURIComponent(
    s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );
}

const BAD_PATH_IDS = [
  '0',
  '-1',
  'abc',
  '1.5',
  '1e3',
  '99999999999999999999',
  '%20%201',
  '%EF%BC%91',
  '%27%20OR%201%3D1',
  '1%00',
  '%F0%9F%98%80',
  'x'.repeat(300),
  '..%2F..%2Fetc',
  'null',
  '0x1F',
  '%3Cscript%3E',
];

function pathValue(op: Operation, p: ParamSpec, pool: IdPool): fc.Arbitrary<string> {
  const segments = op.path.split('/');
  const at = segments.indexOf(`{${p.name}}`);
  const segment = p.name === 'id' ? segments[at - 1] : p.name;
  if (p.name === 'code') {
    return fc.oneof(
      {
        arbitrary: fc
          .constant(null)
          .chain(() => fc.constantFrom('AAAAAAAAAAAAAAAAAAAAAA', ...pool('certificate:code').map(String))),
        weight: 3,
      },
      { arbitrary: hostileString.map((s) => encode(s.slice(0, 400)) || '%20'), weight: 3 },
    );
  }
  return fc.oneof(
    { arbitrary: idOf(pool, kindOf(p.name, segment)).map(String), weight: 6 },
    { arbitrary: fc.constantFrom(...BAD_PATH_IDS), weight: 3 },
    { arbitrary: hostileString.map((s) => encode(s.slice(0, 200)) || '%20'), weight: 1 },
  );
}

function queryPairs(op: Operation, pool: IdPool): fc.Arbitrary<[string, string][]> {
  const params = op.params.filter((p) => p.in === 'query');
  const one = (p: ParamSpec): fc.Arbitrary<[string, string][]> =>
    fc.oneof(
      { arbitrary: fc.constant<[string, string][]>([]), weight: p.required ? 1 : 4 },
      {
        arbitrary: plausible(p.schema, p.name, pool).map((v) => [[p.name, String(v)]] as [string, string][]),
        weight: 3,
      },
      {
        arbitrary: hostileValue.map(
          (v) =>
            [
              [
                p.name,
                typeof v === 'string'
                  ? v.slice(0, 3_000)
                  : v instanceof Raw
                    ? v.text.slice(0, 3_000)
                    : (JSON.stringify(v) ?? ''),
              ],
            ] as [string, string][],
        ),
        weight: 3,
      },
      {
        arbitrary: fc.constant([
          [p.name, '1'],
          [p.name, '2'],
        ] as [string, string][]),
        weight: 1,
      },
      { arbitrary: fc.constant([[`${p.name}[]`, '1']] as [string, string][]), weight: 1 },
    );
  const extra = fc.oneof(
    { arbitrary: fc.constant([] as [string, string][]), weight: 6 },
    {
      arbitrary: fc
        .constantFrom('role', 'countyId', 'id', '__proto__', 'constructor', 'x')
        .map((k) => [[k, '1']] as [string, string][]),
      weight: 1,
    },
  );
  return fc.tuple(fc.tuple(...params.map(one)), extra).map(([parts, more]) => [...parts.flat(), ...more]);
}

function bodyText(op: Operation, pool: IdPool): fc.Arbitrary<{ payload?: string; note: string }> {
  if (!op.body) {
    if (op.method === 'GET' || op.method === 'DELETE') return fc.constant({ note: 'no body' });
    return fc.oneof(
      { arbitrary: fc.constant({ note: 'no body' }), weight: 4 },
      {
        arbitrary: fc
          .constantFrom(...MASS_ASSIGNMENT)
          .map((k) => ({ payload: toJson({ [k]: 1 }), note: `unexpected body {${k}}` })),
        weight: 1,
      },
      { arbitrary: fc.constantFrom(...BROKEN_JSON).map((t) => ({ payload: t, note: 'broken JSON' })), weight: 1 },
    );
  }
  const valid = plausible(op.body, 'body', pool);
  const asObject = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  const itemKeys = Object.keys((op.body.type === 'array' ? op.body.items : op.body)?.properties ?? {});
  const replaceFields = fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), hostileValue), { minLength: 1, maxLength: 3 }))
    .map(([v, swaps]) => {
      // An array body (e.g. a quota list) has its first item's fields replaced, or the item itself.
      const list = Array.isArray(v) ? [...v] : null;
      const o = list ? asObject(list[0]) : asObject(v);
      if (!o || !itemKeys.length)
        return { payload: toJson(list ? [swaps[0][1], ...list.slice(1)] : swaps[0][1]), note: 'body replaced' };
      const out: Record<string, unknown> = Object.assign(Object.create(null), o);
      const changed: string[] = [];
      for (const [i, h] of swaps) {
        const k = itemKeys[i % itemKeys.length];
        out[k] = h;
        changed.push(k);
      }
      if (list) list[0] = out;
      return {
        payload: toJson(list ?? out),
        note: `fields replaced${list ? ' in item 0' : ''}: ${changed.join(', ')}`,
      };
    });
  const required: string[] = op.body.required ?? [];
  const dropRequired = fc
    .tuple(valid, required.length ? fc.subarray(required, { minLength: 1 }) : fc.constant<string[]>([]))
    .map(([v, drop]) => {
      const o = asObject(v);
      if (!o) return { payload: toJson(v), note: 'valid (array)' };
      const out: Record<string, unknown> = Object.assign(Object.create(null), o);
      for (const k of drop) delete out[k];
      return { payload: toJson(out), note: `missing: ${drop.join(', ')}` };
    });
  const extraFields = fc
    .tuple(
      valid,
      fc.subarray([...MASS_ASSIGNMENT, '__proto__', 'constructor', 'zzUnknown'], { minLength: 1, maxLength: 3 }),
      hostileValue,
    )
    .map(([v, keys, val]) => {
      const o = asObject(v);
      const extra: Record<string, unknown> = Object.create(null);
      for (const k of keys)
        extra[k] = k === '__proto__' || k === 'constructor' ? { admin: true } : typeof val === 'object' ? 1 : val;
      if (!o) return { payload: toJson([extra]), note: `extra fields in an item: ${keys.join(', ')}` };
      return {
        payload: toJson(Object.assign(Object.create(null), o, extra)),
        note: `extra fields: ${keys.join(', ')}`,
      };
    });
  return fc.oneof(
    { arbitrary: valid.map((v) => ({ payload: toJson(v), note: 'plausible body' })), weight: 2 },
    { arbitrary: replaceFields, weight: 6 },
    { arbitrary: dropRequired, weight: required.length ? 2 : 0 },
    { arbitrary: extraFields, weight: 3 },
    { arbitrary: hostileValue.map((v) => ({ payload: toJson(v), note: 'whole body hostile' })), weight: 2 },
    { arbitrary: fc.constantFrom(...BROKEN_JSON).map((t) => ({ payload: t, note: 'broken JSON' })), weight: 1 },
  );
}

/** Every hostile request this operation can get, as the city admin (mostly) or a county admin. */
export function requestsFor(op: Operation, pool: IdPool): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const path = fc
    .tuple(...pathParams.map((p) => pathValue(op, p, pool)))
    .map((values) => pathParams.reduce((url, p, i) => url.replace(`{${p.name}}`, values[i]), op.path));
  return fc
    .record({
      path,
      query: queryPairs(op, pool),
      body: bodyText(op, pool),
      actor: fc.constantFrom<'city' | 'county'>('city', 'city', 'city', 'county'),
    })
    .map(({ path: p, query, body, actor }) => {
      const qs = query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
      return { method: op.method, url: qs ? `${p}?${qs}` : p, payload: body.payload, actor, note: body.note };
    });
}
