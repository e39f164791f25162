// The measuring half of bench/customers.bench.ts: serves the real app on the generated database over
// HTTP (loopback), signs in as a region manager (department + sub-departments scope) and times the
// customer pages. Also captures the SQL of the list page and times it alone (the "raw SQL" figure).
import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import type { Database } from '../server/db/index';
import { BENCH_PASSWORD, rng, type Generated } from './customers-data';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Records the SQL of every query the app runs, so the list page's query can be replayed alone. */
function sqlSpy(database: Database) {
  const nodes: RootOperationNode[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      nodes.push(args.node);
      if (nodes.length > 200) nodes.shift();
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const db = database.db.withPlugin(plugin);
  const compile = (node: RootOperationNode): CompiledQuery => database.db.getExecutor().compileQuery(node, { queryId: 'bench' });
  return { spied: { ...database, db }, nodes, compile };
}

/** Pads to a display width, counting CJK characters as two columns. */
const pad = (s: string, width: number) =>
  s + ' '.repeat(Math.max(1, width - [...s].reduce((w, ch) => w + (/[\u3000-\uffff]/.test(ch) ? 2 : 1), 0)));

type Line = { what: string; target?: number; times: number[]; raw?: number[] };

function print(label: string, lines: Line[]) {
  console.log(`\n${label} (ms, ${REQUESTS} requests each, end to end through HTTP)`);
  for (const l of lines) {
    const p95 = pct(l.times, 95);
    const verdict = l.target === undefined ? '' : p95 <= l.target ? `  ✓ target p95 ≤ ${l.target}` : `  ✗ target p95 ≤ ${l.target}`;
    const raw = l.raw ? `   raw SQL p50 ${pct(l.raw, 50).toFixed(2)} p95 ${pct(l.raw, 95).toFixed(2)}` : '';
    console.log(`  ${pad(l.what, 50)} p50 ${pct(l.times, 50).toFixed(1).padStart(7)}  p95 ${p95.toFixed(1).padStart(7)}${verdict}${raw}`);
  }
}

export async function measureApi(label: string, database: Database, dataDir: string, data: Generated) {
  const spy = sqlSpy(database);
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', JOBS: 'off', LOGIN_RATE_LIMIT: '100000' } as NodeJS.ProcessEnv, {});
  const app = await buildApp(config, { database: spy.spied, web: false, migrate: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
  try {
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
      body: JSON.stringify({ username: data.managerUsername, password: BENCH_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const headers = { cookie, 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/json' };
    const get = async (url: string) => {
      const t = performance.now();
      const res = await fetch(base + url, { headers });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 300)}`);
      return { ms: performance.now() - t, body };
    };
    const slowest: { ms: number; url: string }[] = [];
    const timed = async (urls: string[]) => {
      for (const u of urls.slice(0, 5)) await get(u); // warm caches and statements
      const out: number[] = [];
      for (const u of urls) {
        const { ms } = await get(u);
        out.push(ms);
        slowest.push({ ms, url: u });
      }
      return out;
    };
    const r = rng(42);
    const many = <T>(f: (i: number) => T) => Array.from({ length: REQUESTS }, (_, i) => f(i));
    const pick = <T>(xs: T[]) => xs[r(xs.length)];

    // 1. the scoped first page with a filter, and the same SQL alone
    const listUrl = (i: number) =>
      `/customers?departmentId=${data.managerDepartmentId}&stage=${['target', 'intent', 'deal', 'vip'][i % 4]}&limit=50`;
    const list = await timed(many(listUrl));
    spy.nodes.length = 0;
    await get(listUrl(0));
    const listNode = spy.nodes.find((n) => {
      const s = spy.compile(n).sql;
      return /from "customers"/.test(s) && / limit /.test(s) && !/count\(/.test(s);
    });
    const raw: number[] = [];
    if (listNode) {
      const q = spy.compile(listNode);
      for (let i = 0; i < REQUESTS; i++) {
        const t = performance.now();
        await database.db.executeQuery(q);
        raw.push(performance.now() - t);
      }
    }
    // 2. keyword search: 2-character pieces (most common) and longer ones of existing names
    const piece = (len: number) => (i: number) => {
      const name = Array.from(pick(data.sampleNames).replace(/(股份)?有限(责任)?公司$/, ''));
      const start = (i * 7) % Math.max(1, name.length - len + 1);
      return `/customers?q=${encodeURIComponent(name.slice(start, start + len).join(''))}&limit=50`;
    };
    const search2 = await timed(many(piece(2)));
    const search4 = await timed(many(piece(4)));
    const common = await timed(many((i) => `/customers?q=${encodeURIComponent(['科技', '张伟', '深圳', '贸易'][i % 4])}&limit=50`));
    // 3. the 360° page of customers in scope
    const ids = (
      JSON.parse((await get(`/customers?departmentId=${data.managerDepartmentId}&limit=200`)).body).items as { id: string }[]
    ).map((c) => c.id);
    const page360 = await timed(many((i) => `/customers/${ids[i % ids.length]}/360`));
    // 4. the duplicate check by name and by phone
    const dup = await timed(
      many((i) =>
        i % 2
          ? `/customers/duplicate-check?name=${encodeURIComponent(pick(data.sampleNames))}`
          : `/customers/duplicate-check?phone=${pick(data.samplePhones)}`,
      ),
    );
    // 5. creating customers (unique names and phones)
    // numbers not used by an earlier run on a kept data set
    const runSeed = Date.now() % 80_000_000;
    const create: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/customers`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: `压测新建客户${label}${i}号${Date.now()}有限公司`,
          phone: `0755-${String(10_000_000 + ((runSeed + i * 37) % 89_999_999))}`,
          importance: 'normal',
          contacts: [{ name: `联系人${i}`, mobile: `1880000${String(i).padStart(4, '0')}`, email: `c${i}@bench.example` }],
        }),
      });
      const body = await res.text();
      if (res.status !== 201) throw new Error(`create: ${res.status} ${body.slice(0, 300)}`);
      create.push(performance.now() - t);
    }
    print(label, [
      { what: 'list: dept tree scope + stage filter, first page', target: 50, times: list, raw },
      { what: 'search: 2-character substring', target: 50, times: search2 },
      { what: 'search: 4-character substring', target: 50, times: search4 },
      { what: 'search: common words (科技 深圳 贸易 张伟)', target: 50, times: common },
      { what: '360° page', target: 30, times: page360 },
      { what: 'duplicate check (name or phone)', times: dup },
      { what: 'create customer (with a contact)', target: 20, times: create },
    ]);
    if (!listNode) console.log('  (list SQL not captured: raw SQL time missing)');
    if (process.env.BENCH_SLOWEST) {
      slowest.sort((a, b) => b.ms - a.ms);
      for (const x of slowest.slice(0, Number(process.env.BENCH_SLOWEST)))
        console.log(`  slow: ${x.ms.toFixed(1)} ms ${decodeURIComponent(x.url)}`);
    }
  } finally {
    await app.close();
  }
}
