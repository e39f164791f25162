import { afterAll, describe, expect, it } from 'vitest';
import type { HTTPMethods, LightMyRequestResponse, RouteOptions } from 'fastify';
import { createTestApp, setupAdmin } from '@server/test/app';
import { concreteUrl, rowCounts, routeTable, SAMPLE_ID } from '@server/test/factories';

/**
 * Bad input against every create and update route in the route table (routes added later are
 * included without editing this file): a 4xx problem+json naming the field, never a 500, and not
 * one row written. Runs as the admin, so permissions never mask validation.
 */

/* ---- reading a Zod body schema: its field paths, a valid sample body, a value of the wrong type ---- */

type ZodLike = { safeParse(v: unknown): { success: boolean }; _zod: { def: Record<string, unknown> & { type: string } } };
type Sample = { ok: true; value: unknown } | { ok: false };
type FieldPath = { path: string[]; schema: ZodLike; isObject: boolean; acceptsString: boolean };

const isZod = (s: unknown): s is ZodLike => !!s && typeof s === 'object' && '_zod' in s;
const def = (s: ZodLike) => s._zod.def;

/** optional / nullable / default / pipe wrappers peeled off, leaving the shape that matters */
function unwrap(s: ZodLike): ZodLike {
  const d = def(s);
  if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(d.type))
    return unwrap(d.innerType as ZodLike);
  if (d.type === 'pipe') return unwrap(d.in as ZodLike);
  return s;
}

// values a field is likely to accept: names, usernames, passwords, ids, dates, zones, emails, mobiles, enums
const CANDIDATES: unknown[] = [
  '测试名称',
  'test.user',
  'Passw0rd1x',
  SAMPLE_ID,
  '2030-01-01T00:00:00.000Z',
  '2030-01-01',
  'Asia/Shanghai',
  'probe@example.cn',
  '13800138000',
  'zh-CN',
  1,
  0,
  true,
  false,
  [],
  {},
];

/** A value the schema accepts, built field by field (objects) or picked from likely candidates; optional fields omitted. */
function sampleValid(s: ZodLike): Sample {
  const d = def(s);
  let value: unknown;
  // the smallest valid body: optional fields left out, so creates succeed without references to other rows
  if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') return { ok: true, value: undefined };
  if (d.type === 'nullable') {
    const inner = sampleValid(d.innerType as ZodLike);
    return inner.ok ? inner : { ok: true, value: null };
  }
  if (d.type === 'object') {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(d.shape as Record<string, ZodLike>)) {
      const r = sampleValid(v);
      if (!r.ok) return { ok: false };
      if (r.value !== undefined) obj[k] = r.value;
    }
    value = obj;
  } else if (d.type === 'enum') {
    value = Object.values(d.entries as Record<string, unknown>)[0];
  } else if (d.type === 'literal') {
    value = (d.values as unknown[])[0];
  } else {
    value = CANDIDATES.find((c) => s.safeParse(c).success);
    if (value === undefined) return { ok: false };
  }
  return s.safeParse(value).success ? { ok: true, value } : { ok: false };
}

/** Every field of an object schema, nested objects included (`admin.name`). */
function fieldPaths(s: ZodLike, prefix: string[] = []): FieldPath[] {
  const shape = def(unwrap(s)).shape as Record<string, ZodLike> | undefined;
  if (!shape) return [];
  return Object.entries(shape).flatMap(([k, v]) => {
    if (!isZod(v)) return [];
    const inner = unwrap(v);
    const isObject = def(inner).type === 'object';
    const here: FieldPath = { path: [...prefix, k], schema: v, isObject, acceptsString: def(inner).type === 'string' };
    return [here, ...(isObject ? fieldPaths(inner, [...prefix, k]) : [])];
  });
}

/** A JSON value of a type the field refuses. */
function wrongTypeFor(s: ZodLike): unknown {
  return [12345, true, { probe: 1 }, ['x'], 'probe-text', null].find((v) => !s.safeParse(v).success);
}

const collected: RouteOptions[] = [];
const t = await createTestApp({}, { onRoute: (r) => collected.push(r) });
const admin = await setupAdmin(t.app);
afterAll(() => t.close());

const entries = routeTable(collected).filter((e) => e.url.startsWith('/api/v1/'));
const bodyRoutes = entries.filter((e) => ['POST', 'PUT', 'PATCH'].includes(e.method) && e.route.schema?.body);
const paramRoutes = entries.filter((e) => e.method !== 'HEAD' && /:\w+/.test(e.url));

const SQL = "'; drop table users; --";
const HTML = '<script>alert("xss")</script>';
/** parameters that name free text by design (ids of any module's records in the audit history) */
const FREE_TEXT_PARAMS = new Set(['/api/v1/audit/:entity/:id']);

async function send(method: string, url: string, payload: string, contentType = 'application/json') {
  return t.app.inject({
    method: method as HTTPMethods,
    url,
    payload,
    headers: { cookie: admin.cookie ?? '', 'x-requested-with': 'XMLHttpRequest', 'content-type': contentType },
  });
}

/** Sends a request that must be refused: 4xx problem+json, never 500, and every table's row count unchanged. */
async function refused(make: () => Promise<LightMyRequestResponse>): Promise<{ status: number; code: string; fields: string[] }> {
  const before = await rowCounts(t.database.db);
  const res = await make();
  const said = `${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, said).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, said).toBeLessThan(500);
  expect(res.headers['content-type'], said).toContain('application/problem+json');
  expect(await rowCounts(t.database.db)).toEqual(before);
  const body = res.json();
  expect(res.body).not.toMatch(/\n\s+at /);
  return { status: res.statusCode, code: body.code, fields: (body.errors ?? []).map((e: { field: string }) => e.field) };
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  let node = copy;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object' || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
  return copy;
}

async function tableTexts(): Promise<{ table: string; value: string }[]> {
  const out: { table: string; value: string }[] = [];
  for (const table of Object.keys(await rowCounts(t.database.db))) {
    const rows = await t.database.db
      .selectFrom(table as 'users')
      .selectAll()
      .execute();
    for (const row of rows) for (const v of Object.values(row)) if (typeof v === 'string') out.push({ table, value: v });
  }
  return out;
}

const storedLiterally = new Set<string>();

describe('the walk', () => {
  it('sees the create and update routes of the platform', () => {
    const names = bodyRoutes.map((e) => `${e.method} ${e.url}`);
    expect(names).toEqual(
      expect.arrayContaining(['POST /api/v1/setup', 'POST /api/v1/auth/login', 'PATCH /api/v1/me', 'POST /api/v1/api-tokens']),
    );
  });

  it('finds a params schema on every route with path parameters', () => {
    expect(paramRoutes.filter((e) => !e.route.schema?.params).map((e) => `${e.method} ${e.url}`)).toEqual([]);
  });
});

describe.each(bodyRoutes.map((e) => [`${e.method} ${e.url}`, e] as const))('%s', (_name, e) => {
  const schema = e.route.schema!.body as ZodLike;
  const url = concreteUrl(e.url);
  const base = sampleValid(schema);
  const skeleton = (base.ok ? base.value : {}) as Record<string, unknown>;
  const paths = fieldPaths(schema);

  it('refuses malformed JSON (400 bad_json)', async () => {
    for (const payload of ['{"name": ', '{name: 1}', "{'a': 1}", '{"a":1}}', '']) {
      const r = await refused(() => send(e.method, url, payload));
      expect(r.status).toBe(400);
      expect(r.code).toBe('bad_json');
    }
  });

  it('refuses JSON that is not an object, naming the body', async () => {
    for (const payload of ['[]', JSON.stringify([skeleton]), 'null', '"text"', '42', 'true']) {
      const r = await refused(() => send(e.method, url, payload));
      expect(r.status, payload).toBe(400);
      expect(r.fields, payload).toContain('body');
    }
  });

  it('refuses a body that is not JSON', async () => {
    await refused(() => send(e.method, url, 'name=x&password=y', 'application/x-www-form-urlencoded'));
    await refused(() => send(e.method, url, 'hello', 'text/plain'));
  });

  it('refuses an oversized body (413)', async () => {
    const big = JSON.stringify({ ...skeleton, [paths[0]?.path[0] ?? 'name']: 'x'.repeat(1024 * 1024 + 16) });
    const r = await refused(() => send(e.method, url, big));
    expect(r.status).toBe(413);
    expect(r.code).toBe('body_too_large');
  });

  it('refuses an unknown field, naming it (top level and nested objects)', async () => {
    const objectPaths = [[], ...paths.filter((p) => p.isObject).map((p) => p.path)];
    for (const at of objectPaths) {
      const name = [...at, 'unexpectedField'].join('.');
      const r = await refused(() => send(e.method, url, JSON.stringify(setPath(skeleton, [...at, 'unexpectedField'], 'x'))));
      expect(r.status, name).toBe(400);
      expect(r.fields, name).toContain(name);
    }
  });

  it.each(paths.map((p) => [p.path.join('.'), p] as const))('refuses a wrong type for %s, naming the field', async (field, p) => {
    const wrong = wrongTypeFor(p.schema);
    const r = await refused(() => send(e.method, url, JSON.stringify(setPath(skeleton, p.path, wrong))));
    expect(r.status).toBe(400);
    expect(r.fields).toContain(field);
  });

  const stringPaths = paths.filter((p) => p.acceptsString);
  it.runIf(stringPaths.length > 0)('takes SQL and HTML in strings as plain text: refused cleanly or stored literally', async () => {
    for (const p of stringPaths) {
      for (const probe of [SQL, HTML]) {
        const before = await rowCounts(t.database.db);
        const res = await send(e.method, url, JSON.stringify(setPath(skeleton, p.path, probe)));
        const what = `${p.path.join('.')} = ${probe} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        expect(res.statusCode, what).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type'], what).toContain('application/problem+json');
          if (res.statusCode === 400 || res.statusCode === 413) expect(await rowCounts(t.database.db), what).toEqual(before);
        } else {
          const texts = await tableTexts();
          const mangled = texts.filter((x) => x.value.includes('&lt;script') || x.value.includes('&#39;'));
          expect(mangled, what).toEqual([]);
          if (texts.some((x) => x.table !== 'audit_log' && x.value === probe)) storedLiterally.add(probe);
        }
        // whatever happened, the users table is still there and still holds the admin
        const users = await t.database.db.selectFrom('users').select('username').execute();
        expect(users.map((u) => u.username)).toContain('admin');
      }
    }
  });
});

describe('SQL and HTML that are valid input', () => {
  it('are stored literally somewhere (e.g. my name, a token name)', () => {
    expect([...storedLiterally].sort()).toEqual([SQL, HTML].sort());
  });
});

describe.each(paramRoutes.map((e) => [`${e.method} ${e.url}`, e] as const))('params of %s', (_name, e) => {
  const idParams = [...e.url.matchAll(/:(\w+)/g)].map((m) => m[1]).filter((n) => n === 'id' || n.endsWith('Id'));
  const freeText = FREE_TEXT_PARAMS.has(e.url);

  it.runIf(idParams.length > 0)('refuses ids that are not ids (400 naming the param), writing nothing', async () => {
    const body = e.route.schema?.body ? sampleValid(e.route.schema.body as ZodLike) : { ok: false as const };
    const payload = body.ok ? JSON.stringify(body.value) : e.method === 'GET' || e.method === 'DELETE' ? undefined : '{}';
    // already URL-encoded path segments
    for (const bad of [
      'not-an-id',
      encodeURIComponent("1' or '1'='1"),
      '%3Cscript%3E',
      '..%2F..%2Fetc%2Fpasswd',
      SAMPLE_ID.toUpperCase(),
      '-1',
    ]) {
      const url = e.url.replace(/:(\w+)/g, (_m, name: string) => (idParams.includes(name) ? bad : 'user'));
      if (freeText) {
        const res = await t.app.inject({
          method: e.method as HTTPMethods,
          url,
          headers: { cookie: admin.cookie ?? '', 'x-requested-with': 'XMLHttpRequest' },
        });
        expect(res.statusCode, `${url} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        continue;
      }
      const r = await refused(() =>
        t.app.inject({
          method: e.method as HTTPMethods,
          url,
          payload,
          headers: {
            cookie: admin.cookie ?? '',
            'x-requested-with': 'XMLHttpRequest',
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        }),
      );
      expect(r.status, url).toBe(400);
      expect(
        r.fields.some((f) => idParams.some((p) => f === `params.${p}` || f === p)),
        `${url}: ${r.fields.join(', ')}`,
      ).toBe(true);
    }
  });
});

describe('paths the router itself refuses', () => {
  it('answer a 4xx problem+json too (a 300-character id, a broken %-encoding), never echoing the path', async () => {
    const wrong: string[] = [];
    for (const e of paramRoutes) {
      for (const bad of ['x'.repeat(300), '%E0%A4%A']) {
        const url = e.url.replace(/:(\w+)/g, bad);
        const res = await t.app.inject({
          method: e.method as HTTPMethods,
          url,
          headers: { cookie: admin.cookie ?? '', 'x-requested-with': 'XMLHttpRequest' },
        });
        const ok =
          res.statusCode >= 400 &&
          res.statusCode < 500 &&
          String(res.headers['content-type']).includes('application/problem+json') &&
          !res.body.includes(bad);
        if (!ok)
          wrong.push(
            `${e.method} ${e.url} with ${bad.slice(0, 12)}… → ${res.statusCode} ${res.headers['content-type']} ${res.body.slice(0, 80)}`,
          );
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('list queries', () => {
  const lists = entries.filter(
    (e) =>
      e.method === 'GET' &&
      e.route.schema?.querystring &&
      fieldPaths(e.route.schema.querystring as ZodLike).some((p) => p.path[0] === 'limit'),
  );
  it.each(lists.map((e) => [e.url, e] as const))('%s refuses a bad limit or cursor, naming it', async (_u, e) => {
    for (const q of ['limit=abc', 'limit=-1', 'limit=100000', 'limit=1.5']) {
      const r = await refused(() => t.app.inject({ url: `${concreteUrl(e.url)}?${q}`, headers: { cookie: admin.cookie ?? '' } }));
      expect(r.status, q).toBe(400);
      expect(
        r.fields.some((f) => f.endsWith('limit')),
        `${q}: ${r.fields.join(', ')}`,
      ).toBe(true);
    }
    const res = await t.app.inject({
      url: `${concreteUrl(e.url)}?cursor=${encodeURIComponent(SQL)}`,
      headers: { cookie: admin.cookie ?? '' },
    });
    expect(res.statusCode).toBeLessThan(500);
  });
});
