import type { Page } from 'playwright-core';
import type { PositionPermissions } from '@common/permissions';
import type { Department, Position, User } from '@common/schemas/org';
import { button, t, waitForPath } from './browser';

/**
 * Set-up and sign-in helpers for specs that start from an empty server (scripts/e2e.js gives every
 * spec file its own): the company and the people through the API, signing in through the pages.
 */

export type Person = { username: string; name: string; initial: string; password: string };

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

/** A user with an initial password (changed at the first sign-in). */
export async function makeUser(admin: Page, person: Person, departmentId: string, positionId: string): Promise<User> {
  return api<User>(admin, 'POST', '/users', {
    username: person.username,
    name: person.name,
    departmentId,
    positionId,
    password: person.initial,
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
