import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { button, opened, t, waitForPath } from './browser';
import { firstSignIn, type Person } from './session';

/** Steps and places on the approval centre's pages, shared by the approval specs. */

/** The detail page's status tag (in its header). */
export const status = (page: Page) => page.getByTestId('approval-status').first();

/** One point of the chain on the detail page, by its name. */
export const chainPoint = (page: Page, name: string) =>
  page.getByTestId('approval-chain').locator('.ant-steps-item').filter({ hasText: name });

/** Marks the document, so a later check (`marked`) can tell the page was not reloaded in between. */
export const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __xtMark?: number }).__xtMark = 42));
export const marked = (page: Page) => page.evaluate(() => (window as unknown as { __xtMark?: number }).__xtMark === 42);

/** Approves the open detail page's approval with a comment. */
export async function approve(page: Page, comment: string) {
  await button(page.getByTestId('approval-actions'), 'approvalscentre.act.approve').click();
  const dialog = await opened(page.getByRole('dialog').filter({ has: page.getByTestId('action-form') }));
  await dialog.getByLabel(t('approvalscentre.comment')).fill(comment);
  await button(dialog, 'approvalscentre.act.approve').click();
  await page.getByText(t('approvalscentre.done.approve')).first().waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

/**
 * Signs in as an approver, sees the one to-do in the top bar and opens it from the 待办 box: the
 * submitter's `formName` approval `approvalId`, the only row of that form.
 */
export async function openFromTodo(page: Page, approver: Person, todo: { submitter: string; formName: string; approvalId: string }) {
  await firstSignIn(page, approver);
  const badge = page.getByTestId('approval-badge');
  await expect.poll(async () => (await badge.innerText()).trim(), { timeout: 15_000 }).toBe('1');
  await badge.click();
  await waitForPath(page, '/approvals');
  expect(new URL(page.url()).searchParams.get('box')).toBe('todo');
  await page.getByRole('tab', { name: new RegExp(t('approvalscentre.box.todo')), selected: true }).waitFor();
  const row = page.getByRole('row').filter({ hasText: todo.submitter });
  await row.getByText(t('approvalscentre.status.pending')).waitFor();
  await expect.poll(() => page.getByRole('row').filter({ hasText: todo.formName }).count(), { timeout: 10_000 }).toBe(1);
  await row.getByText(todo.formName).first().click();
  await waitForPath(page, `/approvals/${todo.approvalId}`);
}
