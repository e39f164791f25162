import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { PositionPermissions } from '@common/permissions';
import type { Department, Position, User } from '@common/schemas/org';
import { button, launchBrowser, openTab, screenshot, t, waitForPath, type Tab } from './browser';

/**
 * Set-up and sign-in helpers for specs that start from an empty server (scripts/e2e.js gives every
 * spec file its own): the company and the people through the API, signing in through the pages.
 */

export type Person = { username: string; name: string; initial: string; password: string };

export type Scenario = {
  /** set once the first step starts */
  browser: Browser;
  /** the first tab, opened with the browser: the admin's */
  admin: Tab;
  /** the running step's short name, for the failure screenshots */
  step: string;
  /** Another person's tab (own cookies), screenshotted as `who` when a step fails. */
  tab(who: string): Promise<Tab>;
};

/**
 * The hooks of a spec whose steps build on each other and run in order: the browser and the admin's
 * tab are opened before the first step and the browser closed after the last; after a failed step the
 * rest are skipped (rather than failing for the same reason) and every tab opened through
 * `tab()` is screenshotted, named `<name>-<who>-<step>`. Call once at the top of the spec file.
 */
export function scenario(name: string): Scenario {
  const tabs = new Map<string, Tab>();
  let broken = false;
  const run: Scenario = {
    browser: undefined as unknown as Browser,
    admin: undefined as unknown as Tab,
    step: '',
    async tab(who) {
      const tab = await openTab(run.browser);
      tabs.set(who, tab);
      return tab;
    },
  };
  beforeAll(async () => {
    run.browser = await launchBrowser();
    run.admin = await run.tab('admin');
  });
  afterAll(async () => {
    await run.browser?.close();
  });
  beforeEach((ctx) => {
    if (broken) ctx.skip();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    broken = true;
    for (const [who, tab] of tabs)
      console.error(`[e2e] ${who} at ${tab.page.url()} — screenshot ${await screenshot(tab.page, `${name}-${who}-${run.step}`)}`);
  });
  return run;
}

/**
 * A JSON call to /api/v1 with the cookies of `page`'s browser context (so as whoever is signed in
 * there) and the header the web app sends against CSRF. Throws with the answer on a non-2xx status.
 */
export async function api<T>(page: Page, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const res = await page.request.fetch(`/api/v1${url}`, {
    method,
    data: body,
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok()) throw new Error(`${method} /api/v1${url} answered ${res.status()}: ${await res.text()}`);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

/** First-run set-up of a fresh server; the admin is then signed in in `page`'s context. */
export async function setUpCompany(page: Page, companyName: string, admin: { username: string; password: string; name: string }) {
  const { needed } = await api<{ needed: boolean }>(page, 'GET', '/setup');
  if (!needed) throw new Error('the server is already set up: browser specs expect a fresh server each (run them with `npm run test:e2e`)');
  await api(page, 'POST', '/setup', { companyName, timezone: 'Asia/Shanghai', admin });
}

/** A department under the company (root) department. */
export async function makeDepartment(admin: Page, name: string): Promise<Department> {
  const { items } = await api<{ items: Department[] }>(admin, 'GET', '/departments');
  const root = items.find((d) => d.parentId === null);
  if (!root) throw new Error('no company department');
  return api<Department>(admin, 'POST', '/departments', { name, parentId: root.id });
}

export async function makePosition(admin: Page, name: string, permissions: PositionPermissions): Promise<Position> {
  return api<Position>(admin, 'POST', '/positions', { name, permissions });
}

/** A user with an initial password (changed at the first sign-in), optionally with a supervisor. */
export async function makeUser(
  admin: Page,
  person: Person,
  departmentId: string,
  positionId: string,
  supervisorId?: string,
): Promise<User> {
  return api<User>(admin, 'POST', '/users', {
    username: person.username,
    name: person.name,
    departmentId,
    positionId,
    password: person.initial,
    ...(supervisorId ? { supervisorId } : {}),
  });
}

/** Fills the login page and submits. */
export async function logIn(page: Page, username: string, password: string) {
  await page.getByPlaceholder(t('auth.login.username')).fill(username);
  await page.getByPlaceholder(t('auth.login.password')).fill(password);
  await button(page, 'auth.login.submit').click();
}

/** A new user's first sign-in through the pages: log in, change the initial password, land on the home page. */
export async function firstSignIn(page: Page, person: Person) {
  await page.goto('/');
  await waitForPath(page, '/login');
  await logIn(page, person.username, person.initial);
  await waitForPath(page, '/change-password');
  await page.getByLabel(t('auth.changePassword.current')).fill(person.initial);
  await page.getByLabel(t('auth.changePassword.new')).fill(person.password);
  await page.getByLabel(t('auth.password.confirm')).fill(person.password);
  await button(page, 'auth.changePassword.submit').click();
  await waitForPath(page, '/');
  await page.getByTestId('user-menu').getByText(person.name).waitFor();
}
