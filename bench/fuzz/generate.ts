import { gzipSync, deflateSync } from 'node:zlib';
import type { Prng } from '@syv/test-harness';
import type { DocumentedRoute, JsonSchema } from '../lib/openapi-routes.js';
import { fillPath } from '../lib/openapi-routes.js';
import type { RawRequest } from './send.js';
import { isFreeText, validValue } from './valid-body.js';

/**
 * Tokens and real ids to aim at. `actor` (a supervisor) may do anything any route outside
 * /v1/audit/ allows in `area`; `auditor` is the actor of /v1/audit/* (auditors only).
 */
export interface FuzzContext {
  area: string;
  tokens: {
    actor: string;
    auditor: string;
    otherArea: string;
    expired: string;
    foreignSignature: string;
    badClaims: string;
    algNone: string;
  };
  /** Path parameter name → a real id in `area` (caseId, onwardReferralId, closureRequestId, alertId, replayId). */
  ids: Record<string, string>;
}

export interface FuzzRequest extends RawRequest {
  service: string;
  route: string;
  /** Family and variant, e.g. `encoding/invalid-utf8`. */
  label: string;
  /**
   * True when the request must be refused (4xx): bad input, or no right to act. False for the
   * few variants a route may legitimately serve (junk query on a GET without a query schema).
   */
  mustFail: boolean;
}

type Family = 'auth' | 'body' | 'encoding' | 'content-type' | 'path' | 'query' | 'method' | 'oversized' | 'idempotency';

const json = 'application/json';

interface Base {
  route: DocumentedRoute;
  path: string;
  body?: Record<string, unknown>;
  headers: Record<string, string>;
}

/** The projection's audit routes are the auditors' alone; every other route's actor is the supervisor. */
const isAuditRoute = (route: DocumentedRoute) => route.path.startsWith('/v1/audit/');

/**
 * POSTs that read what they are sent and record nothing, in no area: a caller of another area may
 * use them, and they take no Idempotency-Key (there is nothing to replay), so neither is bad input.
 */
const READ_ONLY_POSTS: ReadonlySet<string> = new Set(['POST /v1/language-checks']);
const isWrite = (route: DocumentedRoute) => route.method !== 'GET' && !READ_ONLY_POSTS.has(route.key);

function base(route: DocumentedRoute, ctx: FuzzContext, rng: Prng): Base {
  const path = fillPath(route.path, Object.fromEntries(route.pathParams.map((p) => [p, ctx.ids[p] ?? rng.uuid()])));
  const body = route.body ? (validValue(route.body, rng, { area: ctx.area }) as Record<string, unknown>) : undefined;
  const actor = isAuditRoute(route) ? ctx.tokens.auditor : ctx.tokens.actor;
  return { route, path, ...(body ? { body } : {}), headers: { authorization: `Bearer ${actor}`, ...(body ? { 'content-type': json } : {}) } };
}

function req(b: Base, label: string, over: Partial<RawRequest> & { mustFail?: boolean } = {}): FuzzRequest {
  const { mustFail = true, ...rest } = over;
  const body = b.body === undefined ? undefined : Buffer.from(JSON.stringify(b.body), 'utf8');
  return {
    service: b.route.service,
    route: b.route.key,
    label,
    mustFail,
    method: b.route.method,
    path: b.path,
    headers: b.headers,
    ...(body ? { body } : {}),
    ...rest,
  };
}

const fieldsOf = (schema: JsonSchema | undefined) => Object.entries(schema?.properties ?? {});
const textBody = (s: string) => Buffer.from(s, 'utf8');

/** Replaces the JSON text of one field's value by `raw` (which need not be valid JSON). */
function withRawField(body: Record<string, unknown>, field: string, raw: string): string {
  const marker = `"@@fuzz-${field}@@"`;
  return JSON.stringify({ ...body, [field]: marker.slice(1, -1) }).replace(marker, raw);
}

function authVariant(b: Base, ctx: FuzzContext, rng: Prng): FuzzRequest {
  // Auditors change nothing, and another area's worker reaches nothing of this area, so
  // on a write both are refusals whatever the route; on a read they may be allowed.
  const variants: [string, string | undefined][] = [
    ['no-token', undefined],
    ['empty-bearer', 'Bearer'],
    ['basic-scheme', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['garbage-token', `Bearer ${Buffer.from(String(rng.next())).toString('base64')}`],
    ['three-dots', 'Bearer a.b.c'],
    ['expired', `Bearer ${ctx.tokens.expired}`],
    ['foreign-signature', `Bearer ${ctx.tokens.foreignSignature}`],
    ['bad-claims', `Bearer ${ctx.tokens.badClaims}`],
    ['alg-none', `Bearer ${ctx.tokens.algNone}`],
    ['huge-token', `Bearer ${'A'.repeat(12_000)}`],
    ['token-twice', `Bearer ${ctx.tokens.actor} ${ctx.tokens.actor}`],
    // Only auditors read or act on /v1/audit/*; a supervisor (of this area or another) is refused.
    ...(isAuditRoute(b.route)
      ? ([
          ['supervisor-on-audit', `Bearer ${ctx.tokens.actor}`],
          ['other-area', `Bearer ${ctx.tokens.otherArea}`],
        ] as [string, string][])
      : isWrite(b.route)
        ? ([
            ['auditor-writes', `Bearer ${ctx.tokens.auditor}`],
            ['other-area', `Bearer ${ctx.tokens.otherArea}`],
          ] as [string, string][])
        : []),
  ];
  const [name, header] = rng.pick(variants);
  const { authorization: _a, ...headers } = b.headers;
  return req(b, `auth/${name}`, { headers: header === undefined ? headers : { ...headers, authorization: header } });
}

/**
 * Whether a route takes no body at all (JSON `null`): one whose every field is optional, such as
 * an acknowledgement without a note.
 */
function mayHaveNoBody(schema: JsonSchema | undefined): boolean {
  return ((schema as { required?: unknown[] } | undefined)?.required ?? []).length === 0;
}

function bodyVariant(b: Base, rng: Prng): FuzzRequest {
  const body = b.body as Record<string, unknown>;
  const fields = fieldsOf(b.route.body);
  const [field, schema] = rng.pick(fields);
  const required = b.route.body?.required ?? [];
  const variants: (() => FuzzRequest)[] = [
    () => {
      const name = rng.pick(required.length > 0 ? required : [field]);
      const { [name]: _dropped, ...rest } = body;
      // Without a required field the body is still valid (promote's `acceptDifferences` is optional).
      return req(b, required.length > 0 ? 'body/missing-field' : 'body/missing-optional-field', { body: textBody(JSON.stringify(rest)), mustFail: required.length > 0 });
    },
    () => {
      const wrong: unknown[] = schema.type === 'string' ? [42, true, null, [], {}] : schema.type === 'boolean' ? ['true', 1, null, 'yes'] : ['60', 60.5, null, true, [], {}];
      return req(b, 'body/wrong-type', { body: textBody(JSON.stringify({ ...body, [field]: rng.pick(wrong) })) });
    },
    () => {
      const enumField = fields.find(([, s]) => s.enum) ?? fields.find(([, s]) => s.items?.enum);
      if (!enumField) return req(b, 'body/extra-key', { body: textBody(JSON.stringify({ ...body, isAdmin: true })) });
      const bad = rng.pick(['not_a_value', 'CAMHS', ' camhs', 'camhs\u0000', '']);
      return req(b, 'body/enum-out-of-range', { body: textBody(JSON.stringify({ ...body, [enumField[0]]: enumField[1].items ? [bad] : bad })) });
    },
    () => {
      const max = schema.maxLength ?? 2_000;
      return req(b, 'body/too-long', { body: textBody(JSON.stringify({ ...body, [field]: 'x'.repeat(Math.min(max + 1, 60_000)) })) });
    },
    () => req(b, 'body/extra-key', { body: textBody(JSON.stringify({ ...body, [rng.pick(['isAdmin', 'role', 'areas', '$where', 'caseId', 'status'])]: true })) }),
    () => {
      const key = rng.pick(['__proto__', 'constructor', 'prototype']);
      const value = key === 'constructor' ? '{"prototype":{"polluted":true}}' : '{"polluted":true,"role":"supervisor"}';
      return req(b, `body/proto-key-${key}`, { body: textBody(`{"${key}":${value},${JSON.stringify(body).slice(1)}`) });
    },
    () => req(b, 'body/proto-in-field', { body: textBody(withRawField(body, field, '{"__proto__":{"polluted":true}}')) }),
    () => req(b, 'body/huge-number', { body: textBody(withRawField(body, field, rng.pick(['1e400', '-1e400', `1${'0'.repeat(400)}`, `0.${'0'.repeat(330)}1`, '-0', '123456789012345678901234567890']))) }),
    () => {
      const depth = rng.pick([1_000, 10_000, 30_000]);
      return rng.chance(0.5)
        ? req(b, `body/deep-nesting-${depth}`, { body: textBody(withRawField(body, field, `${'['.repeat(depth)}${']'.repeat(depth)}`)) })
        : req(b, `body/deep-nesting-top-${depth}`, { body: textBody(`${'{"a":'.repeat(depth / 5)}1${'}'.repeat(depth / 5)}`) });
    },
    // `null` is no body at all, which a route whose every field is optional rightly takes.
    () => req(b, 'body/not-an-object', { body: textBody(rng.pick([...(mayHaveNoBody(b.route.body) ? [] : ['null']), '[]', '"referral"', '0', 'true', `[${JSON.stringify(body)}]`])) }),
    () => {
      const text = JSON.stringify(body);
      const broken = rng.pick([
        text.slice(0, rng.int(1, text.length - 1)),
        `${text.slice(0, -1)},}`,
        text.replaceAll('"', "'"),
        text.replace(/"(\w+)":/, '$1:'),
        `${text}${text}`,
        `/* note */${text}`,
        withRawField(body, field, rng.pick(['NaN', 'Infinity', 'undefined', "'x'"])),
        '{',
        '',
      ]);
      return req(b, 'body/malformed-json', { body: textBody(broken) });
    },
    () => {
      const dateField = fields.find(([, s]) => s.format === 'date-time');
      if (!dateField) return req(b, 'body/wrong-type', { body: textBody(JSON.stringify({ ...body, [field]: null })) });
      const bad = rng.pick(['2026-13-45T25:61:00Z', '2026-02-30T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-01-01T00:00:00', '2099-01-01T00:00:00Z', 'yesterday', '9999-12-31T23:59:59Z']);
      return req(b, 'body/bad-date', { body: textBody(JSON.stringify({ ...body, [dateField[0]]: bad })) });
    },
    () => {
      // Characters JSON can carry and PostgreSQL's jsonb cannot store: a NUL and an unpaired surrogate.
      const text = fields.find(([, s]) => isFreeText(s))?.[0] ?? field;
      const escape = rng.pick(['\\u0000', '\\ud800', '\\udfff', 'a\\u0000b', '\\ud83d']);
      return req(b, 'body/unstorable-escape', { body: textBody(withRawField(body, text, `"note ${escape} end"`)) });
    },
    () => req(b, 'body/raw-control-char', { body: textBody(withRawField(body, field, '"tab\there\u0001"')) }),
  ];
  return rng.pick(variants)();
}

function encodingVariant(b: Base, rng: Prng): FuzzRequest {
  const body = b.body as Record<string, unknown>;
  const text = JSON.stringify(body);
  const textField = fieldsOf(b.route.body).find(([, s]) => isFreeText(s))?.[0] ?? fieldsOf(b.route.body)[0]?.[0] ?? 'x';
  const variants: (() => FuzzRequest)[] = [
    () => {
      const bad = rng.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]]);
      const [before, after] = withRawField(body, textField, '"note @@bytes@@ end"').split('@@bytes@@') as [string, string];
      return req(b, 'encoding/invalid-utf8', { body: Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from(bad), Buffer.from(after, 'utf8')]) });
    },
    () => req(b, 'encoding/latin1-bytes', { body: Buffer.from(withRawField(body, textField, '"café à côté"'), 'latin1') }),
    () => req(b, 'encoding/utf16-declared', { body: Buffer.from(text, 'utf16le'), headers: { ...b.headers, 'content-type': 'application/json; charset=utf-16' } }),
    () => req(b, 'encoding/utf16-undeclared', { body: Buffer.from(`\ufeff${text}`, 'utf16le') }),
    () => req(b, 'encoding/gzip-claimed-and-gzipped', { body: gzipSync(text), headers: { ...b.headers, 'content-encoding': 'gzip' } }),
    () => req(b, 'encoding/deflate-claimed-and-deflated', { body: deflateSync(text), headers: { ...b.headers, 'content-encoding': 'deflate' } }),
    () => req(b, 'encoding/gzip-claimed-plain-body', { headers: { ...b.headers, 'content-encoding': rng.pick(['gzip', 'br', 'x-custom', 'gzip, identity']) } }),
    () => req(b, 'encoding/charset-not-utf8', { headers: { ...b.headers, 'content-type': `application/json; charset=${rng.pick(['utf-7', 'iso-8859-1', 'utf-16', 'ebcdic'])}` } }),
  ];
  return rng.pick(variants)();
}

function contentTypeVariant(b: Base, rng: Prng): FuzzRequest {
  const body = b.body as Record<string, unknown>;
  const form = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
  const [name, type, payload] = rng.pick<[string, string | undefined, Buffer | undefined]>([
    ['text-plain', 'text/plain', undefined],
    ['form-json', 'application/x-www-form-urlencoded', undefined],
    ['form', 'application/x-www-form-urlencoded', textBody(form)],
    ['multipart', 'multipart/form-data; boundary=fuzz', textBody(`--fuzz\r\nContent-Disposition: form-data; name="body"\r\n\r\n${JSON.stringify(body)}\r\n--fuzz--\r\n`)],
    ['xml', 'application/xml', textBody('<referral><area>E09</area></referral>')],
    ['octet-stream', 'application/octet-stream', undefined],
    ['none', undefined, undefined],
    ['jsonp', 'application/jsonp', undefined],
    ['vnd-json', 'application/vnd.api+json', undefined],
    ['garbage', 'a'.repeat(2_000), undefined],
    ['no-body', json, Buffer.alloc(0)],
  ]);
  const { 'content-type': _c, ...headers } = b.headers;
  return req(b, `content-type/${name}`, { headers: type === undefined ? headers : { ...headers, 'content-type': type }, ...(payload ? { body: payload } : {}) });
}

function pathVariant(b: Base, ctx: FuzzContext, rng: Prng): FuzzRequest {
  const route = b.route;
  if (route.pathParams.length === 0) {
    return req(b, 'path/unknown-suffix', { path: `${b.path}/${rng.pick(['x', '..', '%2e%2e', 'admin', '%00'])}` });
  }
  const param = rng.pick(route.pathParams);
  const bad = rng.pick([
    'not-a-uuid',
    '%00',
    '..%2F..%2Fadmin',
    'x'.repeat(3_000),
    '%E0%A4%A',
    '%',
    rng.uuid(),
    '00000000-0000-0000-0000-000000000000',
    `${ctx.ids[param] ?? rng.uuid()}%20`,
    "1'%20OR%20'1'%3D'1",
    `{${param}}`,
    'x'.repeat(20_000),
  ]);
  const params = Object.fromEntries(route.pathParams.map((p) => [p, p === param ? bad : (ctx.ids[p] ?? rng.uuid())]));
  return req(b, `path/bad-${param}`, { path: fillPath(route.path, params) });
}

/** Query values to try on a documented parameter: raw as sent, and decoded where it decodes. */
const QUERY_CANDIDATES: Record<'number' | 'string', [raw: string, decoded: string | undefined][]> = {
  number: ['0', '-1', '1', '1.5', 'abc', '', '1e309', '1e20', '9007199254740993', '9223372036854775808', '99999999999999999999', '0x10', '%207', 'NaN', 'Infinity', '-0'].map((v) => [
    v,
    decodeURIComponent(v),
  ]),
  string: [
    ['9999999999999999999', '9999999999999999999'],
    ['9223372036854775807', '9223372036854775807'],
    ['9223372036854775808', '9223372036854775808'],
    ['0', '0'],
    ['0:0', '0:0'],
    ['0:9999999999999999999', '0:9999999999999999999'],
    ['999999:9223372036854775807', '999999:9223372036854775807'],
    ['2147483648:1', '2147483648:1'],
    ['1:', '1:'],
    ['-1', '-1'],
    ['abc', 'abc'],
    ['%00', '\u0000'],
    ['a%00b', 'a\u0000b'],
    ['%ED%A0%80', undefined],
    ['%C3%28', undefined],
    ['%FF', undefined],
    ['%E0%A4%A', undefined],
    ['x'.repeat(300), 'x'.repeat(300)],
    ['%27%20OR%201%3D1%20--', "' OR 1=1 --"],
    ['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000'],
    ['2026-02-30T00%3A00%3A00Z', '2026-02-30T00:00:00Z'],
    ['2026-13-45T25%3A61%3A00Z', '2026-13-45T25:61:00Z'],
    ['0000-01-01T00%3A00%3A00Z', '0000-01-01T00:00:00Z'],
    ['9999-12-31T23%3A59%3A59.999Z', '9999-12-31T23:59:59.999Z'],
    ['%2B275760-09-13T00%3A00%3A00Z', '+275760-09-13T00:00:00Z'],
    ['2026-01-01T00%3A00%3A00%2B14%3A00', '2026-01-01T00:00:00+14:00'],
    ['2026-01-01T00%3A00%3A00-23%3A59', '2026-01-01T00:00:00-23:59'],
    ['2026-01-01T00%3A00%3A00.123456789Z', '2026-01-01T00:00:00.123456789Z'],
    ['2026-01-01T00%3A00%3A00', '2026-01-01T00:00:00'],
    ['yesterday', 'yesterday'],
    ['case.opened.v1', 'case.opened.v1'],
    ['case.opened.v1%2C', 'case.opened.v1,'],
    ['case.opened.v1%2Ccase.closed.v1', 'case.opened.v1,case.closed.v1'],
    ['%2C%2C', ',,'],
    ['CLOSURE_HIGH_RISK', 'CLOSURE_HIGH_RISK'],
    ['E09000062', 'E09000062'],
    ['open', 'open'],
  ],
};

/**
 * Whether the documented schema admits the (decoded) value: if so the route may answer it with a
 * 2xx or a 4xx (an id nobody has, an empty page), never a 5xx; if not, it must refuse it. Numbers
 * are read as the services' coercion reads them (Number()); strings against the schema's own
 * enum, pattern and length. A date-time is judged by its pattern where one is documented.
 */
function admits(schema: JsonSchema, decoded: string | undefined): boolean | undefined {
  if (decoded === undefined) return undefined;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' || type === 'number') {
    const n = Number(decoded);
    if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) return false;
    return (schema.minimum === undefined || n >= schema.minimum) && (schema.maximum === undefined || n <= schema.maximum);
  }
  if (schema.enum) return schema.enum.includes(decoded);
  if (schema.minLength !== undefined && decoded.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && decoded.length > schema.maxLength) return false;
  if (schema.pattern) {
    try {
      return new RegExp(schema.pattern).test(decoded);
    } catch {
      return undefined;
    }
  }
  return schema.format === undefined ? true : undefined;
}

function queryParamVariant(b: Base, rng: Prng): FuzzRequest {
  const param = rng.pick(b.route.query);
  const type = Array.isArray(param.schema.type) ? param.schema.type[0] : param.schema.type;
  const numeric = type === 'integer' || type === 'number';
  const candidates = [...QUERY_CANDIDATES[numeric ? 'number' : 'string']];
  if (numeric && param.schema.maximum !== undefined) candidates.push([String(param.schema.maximum), String(param.schema.maximum)], [String(param.schema.maximum + 1), String(param.schema.maximum + 1)]);
  if (param.schema.enum) candidates.push(...param.schema.enum.map((v): [string, string] => [encodeURIComponent(String(v)), String(v)]));
  const [raw, decoded] = rng.pick(candidates);
  const ok = admits(param.schema, decoded);
  const label = ok === true ? `query/edge-${param.name}` : ok === false ? `query/bad-${param.name}` : `query/odd-${param.name}`;
  // Sometimes repeated: a parameter given twice arrives as an array, which no documented parameter is.
  const twice = rng.chance(0.15);
  const query = twice ? `${param.name}=${raw}&${param.name}=${raw}` : `${param.name}=${raw}`;
  return req(b, twice ? `${label}-twice` : label, { path: `${b.path}?${query}`, mustFail: ok === false });
}

function queryVariant(b: Base, rng: Prng): FuzzRequest {
  if (b.route.query.length > 0 && rng.chance(0.6)) return queryParamVariant(b, rng);
  const q = rng.pick(['limit=0', 'limit=-1', 'limit=501', 'limit=abc', 'limit=1e309', 'limit=99999999999999999999', 'limit=', 'limit=1&limit=2', 'after=abc', 'after=-1', 'after=9999999999999999999', 'unknown=1', 'limit[$gt]=1', 'after=%00', 'limit=%E0%A4%A']);
  // A route without a query schema ignores a query; only a documented query must refuse junk, and
  // a single value of a documented parameter only when its schema refuses it (limit=501 is a
  // valid limit where the maximum is 1 000).
  const single = /^(\w+)=([^&]*)$/.exec(q);
  const param = single ? b.route.query.find((p) => p.name === single[1]) : undefined;
  const value = single?.[2] ?? '';
  const admitted = param ? admits(param.schema, /%/.test(value) ? undefined : value) : false;
  return req(b, 'query/junk', { path: `${b.path}?${q}`, mustFail: b.route.query.length > 0 && admitted === false });
}

/**
 * A method the path does not document. One it does document is another route (GET and POST
 * /v1/audit/replays; GET and DELETE /v1/audit/replays/{id}), reached with a valid request: the
 * fuzzer would start or cancel a replay, not send bad input.
 */
function methodVariant(b: Base, rng: Prng, documented: ReadonlySet<string>): FuzzRequest {
  const methods = ['PUT', 'PATCH', 'DELETE', 'OPTIONS', b.route.method === 'GET' ? 'POST' : 'GET'].filter((m) => !documented.has(`${m} ${b.route.path}`));
  return req(b, 'method/unrouted', { method: rng.pick(methods) });
}

function oversizedVariant(b: Base, rng: Prng): FuzzRequest {
  const body = b.body as Record<string, unknown>;
  const textField = fieldsOf(b.route.body).find(([, s]) => isFreeText(s))?.[0] ?? fieldsOf(b.route.body)[0]?.[0] ?? 'x';
  const size = rng.pick([70_000, 300_000, 2_000_000]);
  return req(b, `oversized/${size}`, { body: textBody(JSON.stringify({ ...body, [textField]: 'x'.repeat(size) })) });
}

function idempotencyVariant(b: Base, rng: Prng): FuzzRequest {
  const key = rng.pick(['', 'k'.repeat(201), 'clé-é', 'a b', '\t']);
  return req(b, 'idempotency/bad-key', { headers: { ...b.headers, 'idempotency-key': key } });
}

/**
 * One malformed, oversized, wrongly typed or encoded, or unauthorised request to `route`;
 * `documented` holds every documented route's key (`GET /v1/…`), so a method variant avoids them.
 */
export function generateRequest(route: DocumentedRoute, ctx: FuzzContext, rng: Prng, documented: ReadonlySet<string> = new Set([route.key])): FuzzRequest {
  const b = base(route, ctx, rng);
  const families: Family[] = ['auth', 'path', 'method'];
  if (route.body) families.push('body', 'body', 'body', 'encoding', 'encoding', 'content-type', 'oversized');
  // The command services' writes take an Idempotency-Key (and refuse a malformed one); the
  // projection's take none, nor does a read-only POST, so there a header they ignore is no bad input.
  if (route.body && route.service !== 'projection' && isWrite(route)) families.push('idempotency');
  if (route.query.length > 0 || route.method === 'GET') families.push('query', 'query');
  switch (rng.pick(families)) {
    case 'auth':
      return authVariant(b, ctx, rng);
    case 'body':
      return bodyVariant(b, rng);
    case 'encoding':
      return encodingVariant(b, rng);
    case 'content-type':
      return contentTypeVariant(b, rng);
    case 'path':
      return pathVariant(b, ctx, rng);
    case 'query':
      return queryVariant(b, rng);
    case 'method':
      return methodVariant(b, rng, documented);
    case 'oversized':
      return oversizedVariant(b, rng);
    case 'idempotency':
      return idempotencyVariant(b, rng);
  }
}
