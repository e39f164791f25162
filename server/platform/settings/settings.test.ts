import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, setupAdmin, type Client, type TestApp } from '@server/test/app';
import { createUser } from '@server/test/factories';

let t: TestApp;
let admin: Client;
let user: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupAdmin(t.app);
  const u = await createUser(t.app.ctx.db, { username: 'staff' });
  user = await loginAs(t.app, u.username, u.password);
});
afterAll(() => t.close());

const company = async () =>
  (await t.app.ctx.db.selectFrom('settings').select('value').where('key', '=', 'company').executeTakeFirstOrThrow()).value;

describe('company settings', () => {
  it('every signed-in user reads them', async () => {
    const res = await user.get('/api/v1/settings/company');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: '深圳市协同科技有限公司', timezone: 'Asia/Shanghai', recycleRetentionDays: 30 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/settings/company' })).statusCode).toBe(401);
  });

  it('the admin changes them, audited field by field, and /me shows the new name at once', async () => {
    const res = await admin.patch('/api/v1/settings/company', { name: '广州协同贸易有限公司', recycleRetentionDays: 90 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: '广州协同贸易有限公司', timezone: 'Asia/Shanghai', recycleRetentionDays: 90 });
    expect((await admin.get('/api/v1/me')).json().company.name).toBe('广州协同贸易有限公司');
    const entry = await t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'settings').executeTakeFirstOrThrow();
    expect(entry.action).toBe('update');
    expect(JSON.parse(entry.changes!)).toEqual({
      name: ['深圳市协同科技有限公司', '广州协同贸易有限公司'],
      recycleRetentionDays: [30, 90],
    });
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const before = await company();
    const cases: [unknown, string][] = [
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ recycleRetentionDays: 0 }, 'recycleRetentionDays'],
      [{ recycleRetentionDays: 3651 }, 'recycleRetentionDays'],
      [{ recycleRetentionDays: 7.5 }, 'recycleRetentionDays'],
      [{ name: '' }, 'name'],
      [{ name: '<script>x</script>'.repeat(10) }, 'name'],
      [{ color: 'red' }, 'color'],
      [{}, 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.patch('/api/v1/settings/company', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await company()).toBe(before);
  });

  it('only the admin may change them', async () => {
    const res = await user.patch('/api/v1/settings/company', { name: '篡改' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('admin_required');
  });

  it('moving the company to another time zone moves the recurring jobs with it', async () => {
    const { jobs, db } = t.app.ctx;
    await jobs.syncSchedules();
    const nextRun = async () =>
      (await db.selectFrom('job_schedules').select('next_run_at').where('name', '=', 'recycle-bin.purge').executeTakeFirstOrThrow())
        .next_run_at;
    // 03:00 in Shanghai is 19:00 UTC
    expect(await nextRun()).toMatch(/T19:00:00\.000Z$/);
    expect((await admin.patch('/api/v1/settings/company', { timezone: 'Asia/Tokyo' })).statusCode).toBe(200);
    // 03:00 in Tokyo is 18:00 UTC (neither zone has summer time)
    expect(await nextRun()).toMatch(/T18:00:00\.000Z$/);
    const listed = (await admin.get('/api/v1/jobs/schedules')).json().items.find((s: { name: string }) => s.name === 'recycle-bin.purge');
    expect(listed.nextRunAt).toBe(await nextRun());
  });
});
