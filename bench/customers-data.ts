// Synthetic customer central database for bench/customers.bench.ts: departments, positions, users,
// customers with duplicate keys and keyword index, contacts, follow-ups — written in bulk straight
// into the migrated schema (better-sqlite3 prepared statements; PostgreSQL multi-row unnest inserts).
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { normaliseCompanyName, nameKeyLooksValid } from '../common/customers/normalise';
import { newId } from '../server/db/ids';
import { gramsOfTexts } from '../server/db/search';

export type Sizes = { customers: number; contactsPer: number; followUpsPer: number; users: number; departments: number };

/** Deterministic PRNG (mulberry32): both databases get the same data. */
export function rng(seed: number) {
  return (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const CITIES =
  '北京 上海 天津 重庆 深圳市 广州市 杭州市 南京市 苏州市 成都市 武汉市 西安市 长沙市 郑州市 东莞市 佛山市 宁波市 青岛市 厦门市 合肥市'.split(
    ' ',
  );
const BRAND =
  '任我行华为腾讯金山海天明达恒信宏远鑫泰嘉盛博瑞康德永安兴隆合创新源中正大晨光联众成汇通诚美佳立聚贤智能鼎丰润泽宇航星辰瀚云图盈富万家和顺利祥瑞福禄春秋东方南北西京华夏龙凤麒麟飞腾远景广达德胜天宝金辉银河长城黄河泰山峰岭江湖海洋蓝天白云青松翠竹红日紫光凯旋捷讯迅驰锐拓展卓越精工匠心';
const INDUSTRIES =
  '科技 网络科技 信息技术 电子 贸易 实业 机械 建筑工程 物流 医疗器械 食品 服装 文化传媒 投资 咨询服务 新材料 环保科技 生物科技 软件 电气'.split(
    ' ',
  );
const SUFFIXES = ['有限公司', '有限公司', '有限公司', '有限责任公司', '股份有限公司'];
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华文辉玉兰萍红志强海燕鹏飞晓东丹凯三四五';
const CATEGORIES = ['direct', 'channel'];
const STAGES = ['target', 'intent', 'deal', 'vip'];
const IMPORTANCES = ['high', 'normal', 'low'];
const FOLLOW_TYPES = ['phone', 'visit', 'wechat', 'mail', 'other'];
const CONTENTS = [
  '电话沟通报价事宜，客户要求下周给方案',
  '上门拜访，演示产品功能',
  '微信发送资料，约定下次见面',
  '邮件发送合同草稿',
  '客户反馈价格偏高，需申请折扣',
];

export const BENCH_PASSWORD = 'Bench12345';

type Row = Record<string, string | number | null>;
type Batch = Record<string, Row[]>;

export type Generated = {
  /** a region manager (department_tree scope over about a sixth of the company) */
  managerUsername: string;
  managerDepartmentId: string;
  /** names and phones that exist, for duplicate checks and search queries */
  sampleNames: string[];
  samplePhones: string[];
};

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Writes the whole data set through `write(table, rows)` in batches; returns what the bench needs to know. */
async function generate(
  sizes: Sizes,
  passwordHash: string,
  write: (batch: Batch) => Promise<void>,
  log: (s: string) => void,
): Promise<Generated> {
  const r = rng(20261127);
  const now = Date.now();
  const stamp = iso(now);
  const perms = (scope: string) =>
    JSON.stringify({
      modules: Object.fromEntries(
        ['customers', 'contacts', 'leads', 'followups'].map((m) => [
          m,
          {
            actions: ['view', 'create', 'edit', 'delete', 'export', 'import', 'transfer']
              .filter((a) => m !== 'followups' || ['view', 'create', 'edit', 'delete'].includes(a))
              .filter((a) => m !== 'contacts' || a !== 'transfer'),
            scope,
          },
        ]),
      ),
      fields: {},
    });
  const positions = [
    {
      id: newId(),
      name: '销售员',
      parent_id: null,
      description: null,
      permissions: perms('self'),
      version: 1,
      created_at: stamp,
      updated_at: stamp,
      deleted_at: null,
    },
    {
      id: newId(),
      name: '销售经理',
      parent_id: null,
      description: null,
      permissions: perms('department_tree'),
      version: 1,
      created_at: stamp,
      updated_at: stamp,
      deleted_at: null,
    },
  ];
  // a root, 6 regions (大区), the rest branches under the regions
  const departments: Row[] = [];
  const dept = (name: string, parent: string | null) => {
    const d = {
      id: newId(),
      name,
      parent_id: parent,
      head_user_id: null,
      sort_order: departments.length,
      disabled: 0,
      version: 1,
      created_at: stamp,
      updated_at: stamp,
      deleted_at: null,
    };
    departments.push(d);
    return d.id as string;
  };
  const root = dept('总公司', null);
  const regions = ['华南', '华东', '华北', '华中', '西南', '东北'].map((n) => dept(`${n}大区`, root));
  for (let i = departments.length; i < sizes.departments; i++) dept(`销售${i}部`, regions[i % regions.length]);
  const leafDepts = departments.slice(1).map((d) => d.id as string);

  const users: Row[] = [];
  const managerOf = new Map<string, string>();
  for (let i = 0; i < sizes.users; i++) {
    const department = leafDepts[i % leafDepts.length];
    const manager = managerOf.get(department);
    const id = newId();
    if (!manager) managerOf.set(department, id);
    users.push({
      id,
      username: `u${i}`,
      name: SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i >= SURNAMES.length ? String(i) : ''),
      email: null,
      mobile: null,
      department_id: department,
      position_id: manager ? positions[0].id : positions[1].id,
      supervisor_id: manager ?? null,
      status: 'active',
      is_admin: 0,
      password_hash: passwordHash,
      must_change_password: 0,
      locale: null,
      locked_until: null,
      version: 1,
      created_at: stamp,
      updated_at: stamp,
      left_at: null,
    });
  }
  await write({ positions, departments, users });
  const manager = users.find((u) => u.department_id === regions[0] && u.position_id === positions[1].id)!;

  const seenKeys = new Set<string>();
  const sampleNames: string[] = [];
  const samplePhones: string[] = [];
  const BATCH = 5000;
  for (let start = 0; start < sizes.customers; start += BATCH) {
    const b: Batch = { customers: [], customer_keys: [], contacts: [], follow_ups: [], search_grams: [], customer_owner_history: [] };
    for (let i = start; i < Math.min(sizes.customers, start + BATCH); i++) {
      let brand = '';
      for (let j = 0, len = 2 + r(3); j < len; j++) brand += BRAND[r(BRAND.length)];
      const name = CITIES[r(CITIES.length)] + brand + INDUSTRIES[r(INDUSTRIES.length)] + SUFFIXES[r(SUFFIXES.length)];
      const phone = `13${String(i).padStart(9, '0')}`;
      const owner = r(10) === 0 ? null : users[r(users.length)];
      const id = newId();
      const created = now - r(730) * DAY - r(DAY);
      const code = `KH${String(i + 1).padStart(7, '0')}`;
      b.customers.push({
        id,
        version: 1,
        created_by: owner ? (owner.id as string) : null,
        created_at: iso(created),
        updated_at: iso(created),
        deleted_at: null,
        kind: r(20) === 0 ? 'partner' : 'customer',
        name,
        short_name: brand,
        code,
        category: CATEGORIES[r(2)],
        stage: STAGES[r(4)],
        importance: IMPORTANCES[r(3)],
        source: null,
        industry: null,
        region_code: null,
        address: null,
        latitude: null,
        longitude: null,
        phones: JSON.stringify([phone]),
        website: null,
        tags: '[]',
        owner_id: owner ? (owner.id as string) : null,
        owner_department_id: owner ? (owner.department_id as string) : null,
        pooled_at: owner ? null : iso(created),
        locked: 0,
        last_contact_at: iso(created + r(Math.max(1, Math.floor((now - created) / DAY))) * DAY),
        next_follow_up_at: null,
        last_deal_at: null,
        recycle_warned_at: null,
        notes: null,
        custom: '{}',
      });
      const key = normaliseCompanyName(name);
      if (nameKeyLooksValid(key) && !seenKeys.has(key)) {
        seenKeys.add(key);
        b.customer_keys.push({ key: `n:${key}`, customer_id: id });
      }
      b.customer_keys.push({ key: `p:${phone}`, customer_id: id });
      if (owner)
        b.customer_owner_history.push({
          id: newId(),
          customer_id: id,
          from_user_id: null,
          to_user_id: owner.id,
          reason: 'create',
          note: null,
          actor_id: owner.id,
          at: iso(created),
        });
      const contactNames: string[] = [];
      for (let k = 0; k < sizes.contactsPer; k++) {
        const cname = SURNAMES[r(SURNAMES.length)] + GIVEN[r(GIVEN.length)] + (r(2) ? GIVEN[r(GIVEN.length)] : '');
        contactNames.push(cname);
        b.contacts.push({
          id: newId(),
          version: 1,
          created_by: null,
          created_at: iso(created),
          updated_at: iso(created),
          deleted_at: null,
          customer_id: id,
          name: cname,
          title: null,
          department: null,
          mobile: `139${String(i * sizes.contactsPer + k).padStart(8, '0')}`,
          phone: null,
          email: null,
          wechat: null,
          birthday: null,
          hobbies: null,
          id_number: null,
          notes: null,
          is_primary: k === 0 ? 1 : 0,
          decision_maker: 0,
          reports_to_id: null,
          custom: '{}',
        });
      }
      for (let k = 0; k < sizes.followUpsPer; k++) {
        const author = owner ?? users[r(users.length)];
        const at = created + r(Math.max(1, Math.floor((now - created) / DAY))) * DAY;
        b.follow_ups.push({
          id: newId(),
          version: 1,
          created_by: author.id,
          created_at: iso(at),
          updated_at: iso(at),
          deleted_at: null,
          customer_id: id,
          lead_id: null,
          contact_id: null,
          type: FOLLOW_TYPES[r(5)],
          content: CONTENTS[r(CONTENTS.length)],
          at: iso(at),
          next_step: null,
          next_at: null,
          owner_id: author.id,
          owner_department_id: author.department_id,
        });
      }
      for (const gram of gramsOfTexts([name, brand, code, phone, ...contactNames]))
        b.search_grams.push({ entity: 'customer', entity_id: id, gram });
      if (i % 997 === 0) {
        sampleNames.push(name);
        samplePhones.push(phone);
      }
    }
    await write(b);
    if ((start / BATCH) % 20 === 19) log(`  ${start + BATCH} customers written`);
  }
  return { managerUsername: manager.username as string, managerDepartmentId: regions[0], sampleNames, samplePhones };
}

/** Bulk load into a migrated SQLite file through its own connection (synchronous=OFF while loading). */
export async function generateSqlite(file: string, sizes: Sizes, passwordHash: string, log: (s: string) => void): Promise<Generated> {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -400000');
  const statements = new Map<string, SQLite.Statement>();
  const insert = db.transaction((batch: Batch) => {
    for (const [table, rows] of Object.entries(batch)) {
      if (!rows.length) continue;
      const cols = Object.keys(rows[0]);
      const text = `insert into ${table} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`;
      let stmt = statements.get(text);
      if (!stmt) statements.set(text, (stmt = db.prepare(text)));
      for (const row of rows) stmt.run(cols.map((c) => row[c]));
    }
  });
  // secondary indexes are built once after the load (sorted build) instead of row by row
  const indexes = db
    .prepare(`select sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${LOADED.map(() => '?').join(',')})`)
    .pluck()
    .all(...LOADED) as string[];
  for (const ddl of indexes) db.exec(`drop index ${/create (?:unique )?index "?(\w+)"?/i.exec(ddl)![1]}`);
  const result = await generate(sizes, passwordHash, async (b) => insert(b), log);
  for (const ddl of indexes) db.exec(ddl);
  db.exec('analyze');
  db.close();
  return result;
}

const PG_TYPES: Record<string, string> = { number: 'float8' };

/** Bulk load into a migrated PostgreSQL database: one `insert … select * from unnest(…)` per table and batch. */
export async function generatePostgres(url: string, sizes: Sizes, passwordHash: string, log: (s: string) => void): Promise<Generated> {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  const inflight = new Set<Promise<void>>();
  const writeNow = async (batch: Batch) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      for (const [table, rows] of Object.entries(batch)) {
        if (!rows.length) continue;
        // columns null in every row are left to their default (null): an untyped null array cannot be cast
        const cols = Object.keys(rows[0]).filter((c) => rows.some((x) => x[c] !== null));
        const types = cols.map((c) => PG_TYPES[typeof rows.find((x) => x[c] !== null)![c]] ?? 'text');
        // integer columns take float8 arrays fine only through a cast: cast each column to the target type
        const select = cols
          .map((c, i) => `u.c${i}${types[i] === 'float8' ? `::${INTEGER_COLUMNS.has(c) ? 'integer' : 'real'}` : ''}`)
          .join(',');
        const params = cols.map((c) => rows.map((x) => x[c]));
        await client.query(
          `insert into ${table} (${cols.join(',')}) select ${select} from unnest(${cols.map((_, i) => `$${i + 1}::${types[i]}[]`).join(',')}) as u(${cols.map((_, i) => `c${i}`).join(',')})`,
          params,
        );
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
  };
  const write = async (batch: Batch) => {
    // a few batches in flight: the database works while the next batch is generated
    const p = writeNow(batch).finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= 3) await Promise.race(inflight);
  };
  const c = await pool.connect();
  const { rows: indexes } = await c.query<{ name: string; ddl: string }>(
    `select indexname as name, indexdef as ddl from pg_indexes where schemaname = 'public' and tablename = any($1) and indexname not in (select conname from pg_constraint)`,
    [LOADED],
  );
  for (const i of indexes) await c.query(`drop index "${i.name}"`);
  const result = await generate(sizes, passwordHash, write, log);
  await Promise.all(inflight);
  for (const i of indexes) await c.query(i.ddl);
  await c.query('vacuum analyze');
  c.release();
  await pool.end();
  return result;
}

/** Tables the generator fills; their secondary indexes are dropped during the load and rebuilt after. */
const LOADED = ['customers', 'customer_keys', 'customer_owner_history', 'contacts', 'follow_ups', 'search_grams'];

const INTEGER_COLUMNS = new Set([
  'version',
  'sort_order',
  'disabled',
  'is_admin',
  'must_change_password',
  'locked',
  'is_primary',
  'decision_maker',
]);
