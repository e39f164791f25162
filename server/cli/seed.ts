import { randomInt } from 'node:crypto';
import type { Db } from '@server/db/types';
import { nowIso } from '@server/db/ids';
import { openDatabase, migrateToLatest } from '@server/db/index';
import { MODULES, type Action, type FieldRule, type ModuleDef, type PositionPermissions, type Scope } from '@common/permissions';
import { getCompany, putSetting } from '@server/platform/settings/settings.service';
import { systemCaller, withTx } from '@server/platform/org/caller';
import { createDepartment, updateDepartment } from '@server/platform/org/departments.service';
import { createPosition } from '@server/platform/org/positions.service';
import { createUser } from '@server/platform/org/users.service';
import { seedApprovalForms } from '@server/modules/approvals/forms.seed';
import type { Command } from './commands';

/**
 * `xietong seed --demo`: a realistic Chinese demo company on an empty database, built through the
 * organisation services (so it is validated and audited like any other change). Passwords are
 * generated per run and printed once; nothing is fixed or published.
 */

const COMPANY = '深圳华信智联科技有限公司';
const MAIL_DOMAIN = 'huaxin.example.com';

type PositionTemplate = {
  name: string;
  parent?: string;
  description: string;
  scope: Scope;
  org: Action[];
  audit: Action[];
  /** actions on business modules (those with a data scope); each filtered to what the module offers */
  business: Action[];
  fields?: Record<string, FieldRule>;
};

const ALL: Action[] = ['view', 'create', 'edit', 'delete', 'export', 'import', 'transfer', 'approve'];
const POSITIONS: PositionTemplate[] = [
  { name: '总经理', description: '公司全部数据', scope: 'all', org: ALL, audit: ['view', 'export'], business: ALL },
  {
    name: '销售总监',
    parent: '总经理',
    description: '本部门及下级部门',
    scope: 'department_tree',
    org: ['view'],
    audit: [],
    business: ['view', 'create', 'edit', 'delete', 'export', 'transfer', 'approve'],
  },
  {
    name: '销售经理',
    parent: '销售总监',
    description: '本部门',
    scope: 'department',
    org: ['view'],
    audit: [],
    business: ['view', 'create', 'edit', 'export', 'transfer', 'approve'],
  },
  {
    name: '销售代表',
    parent: '销售经理',
    description: '仅本人',
    scope: 'self',
    org: ['view'],
    audit: [],
    business: ['view', 'create', 'edit'],
    fields: { 'org.mobile': 'hidden' },
  },
  {
    name: '客服主管',
    parent: '总经理',
    description: '本部门',
    scope: 'department',
    org: ['view'],
    audit: [],
    business: ['view', 'create', 'edit', 'export'],
  },
  {
    name: '客服专员',
    parent: '客服主管',
    description: '本人及下属',
    scope: 'subordinates',
    org: ['view'],
    audit: [],
    business: ['view', 'create', 'edit'],
    fields: { 'org.mobile': 'hidden', 'org.email': 'readonly' },
  },
  {
    name: '财务经理',
    parent: '总经理',
    description: '公司全部数据（只读、审批）',
    scope: 'all',
    org: ['view'],
    audit: ['view'],
    business: ['view', 'export', 'approve'],
  },
  {
    name: '财务专员',
    parent: '财务经理',
    description: '本部门',
    scope: 'department',
    org: ['view'],
    audit: [],
    business: ['view', 'export'],
  },
  {
    name: '人事行政经理',
    parent: '总经理',
    description: '组织架构与人员',
    scope: 'department_tree',
    org: ['view', 'create', 'edit', 'delete'],
    audit: ['view'],
    business: [],
  },
];

/** Permission matrix of a template over every module currently in the registry. */
function permissionsOf(t: PositionTemplate): PositionPermissions {
  const modules: PositionPermissions['modules'] = {};
  const wanted = (m: ModuleDef) => (m.key === 'org' ? t.org : m.key === 'audit' ? t.audit : m.scoped ? t.business : []);
  for (const m of MODULES) {
    const actions = m.actions.filter((a) => wanted(m).includes(a));
    if (actions.length) modules[m.key] = { actions, scope: t.scope };
  }
  return { modules, fields: t.fields ?? {} };
}

/** [name, parent]: three levels below the company. */
const DEPARTMENTS: [string, string | null][] = [
  ['总经办', null],
  ['销售中心', null],
  ['华南大区', '销售中心'],
  ['深圳销售一部', '华南大区'],
  ['广州销售部', '华南大区'],
  ['华东大区', '销售中心'],
  ['上海销售部', '华东大区'],
  ['客服中心', null],
  ['财务部', null],
  ['行政人事部', null],
];

/** [name, username, mobile, department, position, supervisor username, heads department?] */
const STAFF: [string, string, string, string, string, string | null, string | null][] = [
  ['陈建国', 'chenjianguo', '13902881001', '总经办', '总经理', null, '总经办'],
  ['李明辉', 'liminghui', '13828765102', '销售中心', '销售总监', 'chenjianguo', '销售中心'],
  ['王志强', 'wangzhiqiang', '13723456203', '华南大区', '销售经理', 'liminghui', '华南大区'],
  ['张伟', 'zhangwei', '13612349304', '深圳销售一部', '销售经理', 'wangzhiqiang', '深圳销售一部'],
  ['刘洋', 'liuyang', '13510987405', '深圳销售一部', '销售代表', 'zhangwei', null],
  ['杨静', 'yangjing', '18676543506', '深圳销售一部', '销售代表', 'zhangwei', null],
  ['赵磊', 'zhaolei', '18923456607', '深圳销售一部', '销售代表', 'zhangwei', null],
  ['黄晓东', 'huangxiaodong', '13798761708', '广州销售部', '销售经理', 'wangzhiqiang', '广州销售部'],
  ['周婷', 'zhouting', '13556784809', '广州销售部', '销售代表', 'huangxiaodong', null],
  ['吴昊', 'wuhao', '15920139910', '广州销售部', '销售代表', 'huangxiaodong', null],
  ['徐丽华', 'xulihua', '13916782011', '华东大区', '销售经理', 'liminghui', '华东大区'],
  ['孙浩', 'sunhao', '13817659212', '上海销售部', '销售经理', 'xulihua', '上海销售部'],
  ['马超', 'machao', '18621093313', '上海销售部', '销售代表', 'sunhao', null],
  ['胡敏', 'humin', '15800214414', '上海销售部', '销售代表', 'sunhao', null],
  ['朱红梅', 'zhuhongmei', '13760325515', '客服中心', '客服主管', 'chenjianguo', '客服中心'],
  ['郭佳', 'guojia', '13631476616', '客服中心', '客服专员', 'zhuhongmei', null],
  ['何雪', 'hexue', '18818527717', '客服中心', '客服专员', 'zhuhongmei', null],
  ['林志远', 'linzhiyuan', '13922638818', '财务部', '财务经理', 'chenjianguo', '财务部'],
  ['高雅', 'gaoya', '13533749919', '财务部', '财务专员', 'linzhiyuan', null],
  ['罗文', 'luowen', '13684850020', '行政人事部', '人事行政经理', 'chenjianguo', '行政人事部'],
];

/** A random password that passes the password rules (letters and digits, 14 characters). */
export function generatePassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const pick = (set: string, n: number) => Array.from({ length: n }, () => set[randomInt(set.length)]).join('');
  return `${pick(letters, 5)}-${pick(digits, 4)}-${pick(letters, 3)}`;
}

export type SeedResult = {
  company: string;
  adminUsername: string;
  adminPassword: string;
  staffPassword: string;
  departments: number;
  positions: number;
  staff: number;
};

/**
 * Fills an empty database with the demo company in one transaction. Throws when any user exists
 * (seeding never touches a database in use).
 */
export async function seedDemo(db: Db): Promise<SeedResult> {
  const caller = systemCaller('seed');
  const adminPassword = generatePassword();
  const staffPassword = generatePassword();
  return withTx(db, async (tx) => {
    if (await tx.selectFrom('users').select('id').limit(1).executeTakeFirst()) {
      throw new Error('The database already has users: seed --demo only fills an empty database.');
    }
    await putSetting(tx, 'company', { ...(await getCompany(tx)), name: COMPANY, timezone: 'Asia/Shanghai' });
    await putSetting(tx, 'setup', { at: nowIso(), by: 'seed' });

    const root = await createDepartment(tx, { name: COMPANY, parentId: null, sortOrder: 0 }, caller);
    const departments = new Map<string, { id: string; version: number }>();
    for (const [i, [name, parent]] of DEPARTMENTS.entries()) {
      const parentId = parent ? departments.get(parent)!.id : root.id;
      const d = await createDepartment(tx, { name, parentId, sortOrder: i + 1 }, caller);
      departments.set(name, d);
    }

    const positions = new Map<string, string>();
    for (const t of POSITIONS) {
      const p = await createPosition(
        tx,
        { name: t.name, parentId: t.parent ? positions.get(t.parent) : null, description: t.description, permissions: permissionsOf(t) },
        caller,
      );
      positions.set(t.name, p.id);
    }

    const admin = await createUser(
      tx,
      { username: 'admin', name: '系统管理员', departmentId: root.id, isAdmin: true, password: adminPassword },
      caller,
    );
    const users = new Map<string, string>();
    for (const [name, username, mobile, dept, position, supervisor, heads] of STAFF) {
      const u = await createUser(
        tx,
        {
          username,
          name,
          mobile,
          email: `${username}@${MAIL_DOMAIN}`,
          departmentId: departments.get(dept)!.id,
          positionId: positions.get(position),
          supervisorId: supervisor ? users.get(supervisor) : null,
          password: staffPassword,
        },
        caller,
      );
      users.set(username, u.id);
      if (heads) {
        const d = departments.get(heads)!;
        departments.set(heads, await updateDepartment(tx, d.id, { version: d.version, headUserId: u.id }, caller));
      }
    }
    await updateDepartment(tx, root.id, { version: root.version, headUserId: users.get('chenjianguo') }, caller);
    await seedApprovalForms(tx, caller.actor);
    return {
      company: COMPANY,
      adminUsername: admin.username,
      adminPassword,
      staffPassword,
      departments: DEPARTMENTS.length + 1,
      positions: POSITIONS.length,
      staff: STAFF.length,
    };
  });
}

/** CLI: `xietong seed --demo`. */
export const seedCommand: Command = async (config, options) => {
  if (!options.demo) throw new Error('Usage: xietong seed --demo   (fills an empty database with a demo company)');
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    const r = await seedDemo(database.db);
    console.log(`Demo company ${r.company}: ${r.departments} departments, ${r.positions} positions, ${r.staff} staff.`);
    console.log(`Administrator: ${r.adminUsername} / ${r.adminPassword}`);
    console.log(`Staff (e.g. chenjianguo, zhangwei, liuyang): initial password ${r.staffPassword}`);
    console.log('These passwords are shown only now; every account must change its password at first sign-in.');
  } finally {
    await database.close();
  }
};
