import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { MODULES } from '@common/permissions';
import { BASE_URL, button, menuEntries, t, waitForPath, type Tab } from './browser';
import { firstSignIn, logIn, scenario } from './session';

/**
 * The issue's browser scenario on a fresh server: first-run set-up; log in; create a department, a
 * position with department scope and a user; that user (another browser) sees only the permitted
 * menus; the admin disables the user and the user's open session is refused on the next request.
 * The steps build on each other and run in order.
 */

const ADMIN = { username: 'admin', password: 'Admin2026x', name: '王管理' };
const STAFF = { username: 'zhang.san', name: '张三', initial: 'Init2026x', password: 'Zhang2026x' };
const DEPARTMENT = '华东销售部';
const POSITION = '区域销售';

const run = scenario('platform');
let staff: Tab;
let staffQuietTab: Page | undefined;

/** Picks `text` in the antd Select / TreeSelect labelled `label` (type to filter, then Enter). */
async function choose(scope: Page, dialog: ReturnType<Page['getByRole']>, label: string, text: string) {
  const box = dialog.getByLabel(label, { exact: true });
  await box.click();
  await box.fill(text);
  await scope.locator('.ant-select-dropdown:visible').getByText(text, { exact: true }).first().click();
}

describe('platform scenario', () => {
  it('first start: the set-up page creates the company and the admin, who is then signed in', async () => {
    run.step = 'setup';
    const { page } = run.admin;
    const res = await page.goto('/');
    // the web shell is served with its security headers
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(res?.headers()['x-content-type-options']).toBe('nosniff');
    await waitForPath(page, '/setup');
    await page.getByLabel(t('auth.setup.companyName')).fill('上海协同测试有限公司');
    await expect(page.getByText('Asia/Shanghai').first().isVisible()).resolves.toBe(true);
    await page.getByLabel(t('auth.setup.adminName')).fill(ADMIN.name);
    await page.getByLabel(t('auth.username'), { exact: true }).fill(ADMIN.username);
    await page.getByLabel(t('auth.password'), { exact: true }).fill(ADMIN.password);
    await page.getByLabel(t('auth.password.confirm'), { exact: true }).fill(ADMIN.password);
    await button(page, 'auth.setup.submit').click();
    await waitForPath(page, '/');
    await page.getByTestId('company-name').getByText('上海协同测试有限公司').waitFor();
    await page.getByTestId('user-menu').getByText(ADMIN.name).waitFor();
  });

  it('logs out from the user menu and logs in again', async () => {
    run.step = 'login';
    const { page } = run.admin;
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: t('shell.user.logout') }).click();
    await waitForPath(page, '/login');
    await logIn(page, ADMIN.username, 'WrongPass1');
    await page.getByTestId('login-error').getByText(t('error.invalid_credentials')).waitFor();
    await logIn(page, ADMIN.username, ADMIN.password);
    await waitForPath(page, '/');
    await page.getByTestId('user-menu').getByText(ADMIN.name).waitFor();
  });

  it('creates a department', async () => {
    run.step = 'department';
    const { page } = run.admin;
    await page.goto('/org/departments');
    await button(page, 'orgui.dept.create').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(t('orgui.dept.name')).fill(DEPARTMENT);
    await button(dialog, 'common.save').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(t('common.saved')).first().waitFor();
    // after a reload (stored, not just in the page's cache) the tree shows it under the company
    await page.reload();
    await page.getByRole('tree').getByText(DEPARTMENT).waitFor();
  });

  it('creates a position and grants it the organisation pages, with department scope on scoped modules', async () => {
    run.step = 'position';
    const { page } = run.admin;
    await page.goto('/org/positions');
    await button(page, 'orgui.position.create').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(t('orgui.position.name')).fill(POSITION);
    await button(dialog, 'common.save').click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: POSITION });
    await button(row, 'orgui.position.permissions').click();
    await waitForPath(page, /^\/org\/positions\/[^/]+\/permissions$/);

    await page.getByRole('checkbox', { name: `${t('module.org')} ${t('action.view')}`, exact: true }).check();
    for (const m of MODULES.filter((x) => x.scoped)) {
      await page.getByRole('checkbox', { name: `${t(`module.${m.key}`)} ${t('action.view')}`, exact: true }).check();
      const scope = page.getByLabel(t('perm.scope_of', { module: t(`module.${m.key}`) }), { exact: true });
      await scope.click();
      await page.locator('.ant-select-dropdown:visible').getByText(t('scope.department'), { exact: true }).click();
      // the next module's list must not be confused with this one while it closes
      await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    }
    await button(page, 'common.save').click();
    await page.getByText(t('orgui.position.permissions_saved')).waitFor();

    // what the server stored: org view, department scope on every scoped module
    const positions = (await (await page.request.get('/api/v1/positions')).json()).items as {
      name: string;
      permissions: { modules: Record<string, { actions: string[]; scope: string }> };
    }[];
    const stored = positions.find((p) => p.name === POSITION)!.permissions.modules;
    expect(stored.org.actions).toEqual(['view']);
    for (const m of MODULES.filter((x) => x.scoped)) expect(stored[m.key].scope).toBe('department');
  });

  it('creates a user in that department with that position', async () => {
    run.step = 'user';
    const { page } = run.admin;
    await page.goto('/org/users');
    await button(page, 'orgui.user.create').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel(t('orgui.user.username'), { exact: true }).fill(STAFF.username);
    await drawer.getByLabel(t('orgui.user.name'), { exact: true }).fill(STAFF.name);
    await choose(page, drawer, t('orgui.user.department'), DEPARTMENT);
    await choose(page, drawer, t('orgui.user.position'), POSITION);
    await drawer.getByLabel(t('orgui.user.initial_password')).fill(STAFF.initial);
    await button(drawer, 'common.save').click();
    await drawer.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: STAFF.username });
    await row.getByText(DEPARTMENT).waitFor();
    await row.getByText(POSITION).waitFor();
    await row.getByText(t('orgui.user.status.active')).waitFor();
  });

  it('the new user signs in elsewhere, must change the password, and sees only the permitted menus', async () => {
    run.step = 'staff-login';
    staff = await run.tab('staff');
    const { page } = staff;
    // log in with the initial password, change it, land on the home page
    await firstSignIn(page, STAFF);

    const permitted = [
      t('home.title'),
      t('orgui.departments.title'),
      t('orgui.positions.title'),
      t('orgui.users.title'),
      // the customer pages (issue 3) of the scoped modules the position views
      t('customersui.customers.title'),
      t('customersui.partners.title'),
      t('leads.title'),
      t('salesui.calendar.page'),
      t('salesui.overdue.title'),
      t('quality.title'),
      // and those open to every user: the approval centre (issue 4), the own mailbox (issue 5)
      t('customersui.dup.title'),
      t('reports.title'),
      t('approvalscentre.title'),
      t('mailui.title'),
      t('mailui.accounts.title'),
      t('mailui.batches.title'),
    ];
    const forbidden = [
      t('audit.title'),
      t('system.jobs.title'),
      t('system.recycle.title'),
      t('system.settings.title'),
      t('salesui.settings.title'),
      t('fields.title'),
      t('approvalsdesigner.flows.title'),
      t('approvalsdesigner.positions.title'),
      t('approvalsdesigner.forms.title'),
      t('mailui.system.title'),
    ];
    const mine = await menuEntries(page);
    expect(mine.sort()).toEqual(permitted.sort());
    // the admin sees everything, so the difference is the position, not the shell
    expect(await menuEntries(run.admin.page)).toEqual(expect.arrayContaining([...permitted, ...forbidden]));

    // view only with department scope: the user list holds their own department, not the admin's;
    // no create button; an admin page typed in is refused
    await page.goto('/org/users');
    await page.getByRole('row').filter({ hasText: STAFF.username }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: ADMIN.name }).count()).toBe(0);
    expect(await button(page, 'orgui.user.create').count()).toBe(0);
    await page.goto('/system/jobs');
    await page.getByText(t('shell.forbidden.title')).waitFor();
  });

  it('the admin disables the user; the open session is refused on its next request and the user lands on the login page', async () => {
    run.step = 'disable';
    // a second tab of the same user whose live connection never delivers anything (as when it has dropped)
    staffQuietTab = await staff.context.newPage();
    staffQuietTab.on('pageerror', (e) => staff.errors.push(`${e.name}: ${e.message}`));
    await staffQuietTab.routeWebSocket(/\/api\/v1\/realtime/, () => undefined);
    await staffQuietTab.goto('/org/positions');
    await staffQuietTab.getByRole('row').filter({ hasText: POSITION }).waitFor();

    const { page } = run.admin;
    await page.goto('/org/users');
    const row = page.getByRole('row').filter({ hasText: STAFF.username });
    await row.getByRole('button', { name: t('admin.more') }).click();
    await page.getByRole('menuitem', { name: t('orgui.user.disable'), exact: true }).click();
    await button(page.getByRole('dialog'), 'common.confirm').click();
    await page.getByText(t('orgui.user.disabled_ok', { name: STAFF.name })).waitFor();
    await row.getByText(t('orgui.user.status.disabled')).waitFor();

    // the user's tab with the live connection is told at once and shows the login page
    await waitForPath(staff.page, '/login');
    // the tab without one learns on its next request: refused, then sent to log in
    const quiet = staffQuietTab!;
    expect(new URL(quiet.url()).pathname).toBe('/org/positions');
    expect((await quiet.request.get('/api/v1/me')).status()).toBe(401);
    await quiet
      .locator('.ant-layout-sider')
      .getByRole('menuitem', { name: t('orgui.departments.title') })
      .click();
    await waitForPath(quiet, '/login');
    // and cannot sign in again
    await logIn(quiet, STAFF.username, STAFF.password);
    await quiet.getByTestId('login-error').getByText(t('error.account_disabled')).waitFor();
    expect(new URL(quiet.url()).pathname).toBe('/login');
  });

  it('no page threw an uncaught error', () => {
    expect(run.admin.errors).toEqual([]);
    expect(staff?.errors ?? []).toEqual([]);
  });
});

describe('the server under test', () => {
  it('answers health at the base URL', async () => {
    const res = await fetch(`${BASE_URL}/api/v1/health`);
    expect(res.status).toBe(200);
  });
});
