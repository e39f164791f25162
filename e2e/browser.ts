import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { translate, type Params } from '@common/messages/index';

/** Shared helpers for the browser specs: the server under test, Debian's chromium, catalog text. */

const base = process.env.E2E_BASE_URL;
if (!base) throw new Error('E2E_BASE_URL is not set: run the browser tests with `npm run test:e2e`');
export const BASE_URL: string = base;

/** The zh-CN text of a catalog key, as the pages show it. */
export const t = (key: string, params?: Params): string => translate('zh-CN', key, params);

/**
 * The accessible name of a button with this text: antd puts a space between the two characters of
 * a two-character Chinese label ("保 存"), and an icon adds its own name in front ("plus 新建部门").
 */
export function spaced(text: string): RegExp {
  const escaped = [...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(^|\\s)${escaped.join('\\s*')}\\s*$`);
}

/** A button by its catalog text, tolerant of antd's inserted space. */
export const button = (scope: Page | Locator, key: string, params?: Params): Locator =>
  scope.getByRole('button', { name: spaced(t(key, params)) });

/** Chromium with a fresh temporary profile (playwright gives every launch its own user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`chromium not found at ${executablePath} (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type Tab = { context: BrowserContext; page: Page; errors: string[] };

/** A separate browser context (own cookies = another person) on a 1280 px laptop screen, recording page crashes. */
export async function openTab(browser: Browser): Promise<Tab> {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  return { context, page, errors };
}

/** Waits until the page's path (without query) is `pathname`. */
export async function waitForPath(page: Page, pathname: string | RegExp): Promise<void> {
  await page.waitForURL((url) => (typeof pathname === 'string' ? url.pathname === pathname : pathname.test(url.pathname)));
}

/** Waits until an antd modal (or dropdown) has finished opening (its zoom-in motion): a click during it may be lost. */
export async function opened(dialog: Locator): Promise<Locator> {
  await dialog.waitFor();
  await expect.poll(async () => (await dialog.getAttribute('class')) ?? '', { timeout: 5_000 }).not.toMatch(/-(appear|enter)\b/);
  return dialog;
}

/** Screenshot into the temp dir when a step fails, so a CI log can point at it. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(os.tmpdir(), `xt-e2e-${name}-${Date.now()}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  return file;
}

/** The texts of every entry of the left menu, with each group opened. */
export async function menuEntries(page: Page): Promise<string[]> {
  const menu = page.locator('.ant-layout-sider').getByRole('menu').first();
  await menu.waitFor();
  // open every closed group so its entries are rendered (one at a time: each click changes which are closed)
  const closed = menu.locator('.ant-menu-submenu:not(.ant-menu-submenu-open) > .ant-menu-submenu-title');
  for (let guard = 0; (await closed.count()) > 0; guard++) {
    if (guard > 20) throw new Error('menu groups do not stay open');
    await closed.first().click();
  }
  const items = await menu.locator('.ant-menu-item').allInnerTexts();
  return items.map((s) => s.trim()).filter(Boolean);
}
