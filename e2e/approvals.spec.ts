import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { EMPTY_PERMISSIONS } from '@common/permissions';
import type { ApprovalFlow, ApprovalForm, CreateFlowBody } from '@common/schemas/approvals';
import { button, launchBrowser, openTab, screenshot, t, waitForPath, type Tab } from './browser';
import { api, firstSignIn, makeDepartment, makePosition, makeUser, setUpCompany, type Person } from './session';

/**
 * The approval centre in the browser (issue 4), on a fresh server of its own. The admin defines a
 * custom form (报销) and its flow through the API (the designer has its own spec): 部门审批 by A, then a
 * condition branch — above ¥1,000 财务审批 by B, otherwise the admin. The submitter fills the form in
 * from the centre; A sees it in the top bar and approves it; the submitter's open page moves on to
 * 财务审批 without a reload; B approves; the submitter's page turns 已通过, still without a reload.
 * The steps build on each other and run in order.
 */

const ADMIN = { username: 'admin', password: 'Admin2026x', name: '王管理' };
const SUBMITTER: Person = { username: 'zhang.san', name: '张三', initial: 'Init2026x', password: 'ZhangSan2026x' };
const APPROVER_A: Person = { username: 'li.si', name: '李四', initial: 'Init2026x', password: 'LiSi2026xy' };
const APPROVER_B: Person = { username: 'wang.wu', name: '王五', initial: 'Init2026x', password: 'WangWu2026x' };
const FORM_NAME = '费用报销';
const FLOW_NAME = '报销审批';
const FIELD = { amount: '报销金额', reason: '报销事由', category: '费用类别' };
const REASON = '十一月上海客户拜访差旅费';
const COMMENT_A = '情况属实，同意';
const COMMENT_B = '财务已核对票据';
const BIG = '金额超过 1000 元';

let browser: Browser;
let admin: Tab;
let submitter: Tab;
let approverA: Tab;
let approverB: Tab;
let approvalId = '';
let step = '';
/** the steps build on each other: after one fails, the rest are skipped rather than failing for the same reason */
let broken = false;

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await openTab(browser);
});
afterAll(async () => {
  await browser?.close();
});
beforeEach((ctx) => {
  if (broken) ctx.skip();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    broken = true;
    for (const [who, tab] of [
      ['admin', admin],
      ['submitter', submitter],
      ['approverA', approverA],
      ['approverB', approverB],
    ] as const) {
      if (tab) console.error(`[e2e] ${who} at ${tab.page.url()} — screenshot ${await screenshot(tab.page, `${who}-${step}`)}`);
    }
  }
});

/** Waits until an antd modal has finished opening (its zoom-in motion): a click during it may be lost. */
async function opened(dialog: Locator): Promise<Locator> {
  await dialog.waitFor();
  await expect.poll(async () => (await dialog.getAttribute('class')) ?? '', { timeout: 5_000 }).not.toMatch(/-(appear|enter)\b/);
  return dialog;
}

/** The detail page's status tag (in its header). */
const status = (page: Page) => page.getByTestId('approval-status').first();

/** One point of the chain on the detail page, by its name. */
const chainPoint = (page: Page, name: string) => page.getByTestId('approval-chain').locator('.ant-steps-item').filter({ hasText: name });

/** Marks the document, so a later check can tell the page was not reloaded in between. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __xtMark?: number }).__xtMark = 42));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { __xtMark?: number }).__xtMark === 42);

/** Approves the open detail page's approval with a comment. */
async function approve(page: Page, comment: string) {
  await button(page.getByTestId('approval-actions'), 'approvalscentre.act.approve').click();
  const dialog = await opened(page.getByRole('dialog').filter({ has: page.getByTestId('action-form') }));
  await dialog.getByLabel(t('approvalscentre.comment')).fill(comment);
  await button(dialog, 'approvalscentre.act.approve').click();
  await page.getByText(t('approvalscentre.done.approve')).first().waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

/** Signs in as an approver, sees the one to-do in the top bar and opens it from the 待办 box. */
async function openFromTodo(page: Page, person: Person) {
  await firstSignIn(page, person);
  const badge = page.getByTestId('approval-badge');
  await expect.poll(async () => (await badge.innerText()).trim(), { timeout: 10_000 }).toBe('1');
  await badge.click();
  await waitForPath(page, '/approvals');
  expect(new URL(page.url()).searchParams.get('box')).toBe('todo');
  await page.getByRole('tab', { name: new RegExp(t('approvalscentre.box.todo')), selected: true }).waitFor();
  const row = page.getByRole('row').filter({ hasText: SUBMITTER.name });
  await row.getByText(t('approvalscentre.status.pending')).waitFor();
  await row.getByText(`${FORM_NAME} - ${SUBMITTER.name}`).click();
  await waitForPath(page, `/approvals/${approvalId}`);
}

describe('approval centre scenario', () => {
  it('the admin sets up the company, three people, the 报销 form and its two-point flow with a condition', async () => {
    step = 'setup';
    const { page } = admin;
    await page.goto('/');
    await setUpCompany(page, '上海协同测试有限公司', ADMIN);
    const department = await makeDepartment(page, '市场部');
    const position = await makePosition(page, '职员', EMPTY_PERMISSIONS);
    await makeUser(page, SUBMITTER, department.id, position.id);
    const a = await makeUser(page, APPROVER_A, department.id, position.id);
    const b = await makeUser(page, APPROVER_B, department.id, position.id);
    const me = await api<{ user: { id: string } }>(page, 'GET', '/me');

    const form = await api<ApprovalForm>(page, 'POST', '/approval-forms', {
      name: FORM_NAME,
      icon: 'expense',
      description: '差旅、招待等费用报销',
      fields: [
        { key: 'amount', label: FIELD.amount, type: 'money', required: true },
        { key: 'category', label: FIELD.category, type: 'select', options: ['差旅', '招待', '办公'], required: true },
        { key: 'reason', label: FIELD.reason, type: 'textarea', required: true },
      ],
    });
    const point = (id: string, name: string, userId: string) => ({
      kind: 'point' as const,
      id,
      name,
      approvers: [{ kind: 'users' as const, userIds: [userId] }],
      mode: 'any' as const,
      whenEmpty: 'reject' as const,
    });
    const flow: CreateFlowBody = {
      type: `form.${form.id}`,
      name: FLOW_NAME,
      priority: 0,
      isDefault: true,
      enabled: true,
      entry: null,
      definition: {
        nodes: [
          point('dept', '部门审批', a.id),
          {
            kind: 'branch',
            id: 'by_amount',
            branches: [
              // ¥1,000 = 100,000 fen
              {
                id: 'big',
                name: BIG,
                condition: { any: [[{ field: 'amount', op: 'gt', value: 100_000 }]] },
                nodes: [point('finance', '财务审批', b.id)],
              },
              { id: 'small', name: '其他', condition: null, nodes: [point('admin', '行政审批', me.user.id)] },
            ],
          },
        ],
        cc: [],
      },
    };
    await api<ApprovalFlow>(page, 'POST', '/approval-flows', flow);
  });

  it('the submitter fills in the form from the approval centre and lands on its detail page, 审批中', async () => {
    step = 'submit';
    submitter = await openTab(browser);
    const { page } = submitter;
    await firstSignIn(page, SUBMITTER);
    await page.goto('/approvals');
    await page.getByRole('tab', { name: new RegExp(t('approvalscentre.box.todo')), selected: true }).waitFor();
    await page.getByText(t('approvalscentre.empty.todo')).waitFor();

    // 发起审批 → the form cards → 费用报销
    await button(page, 'approvalscentre.new').click();
    const picker = await opened(page.getByRole('dialog').filter({ hasText: t('approvalscentre.picker.title') }));
    await picker.getByTestId('form-card').filter({ hasText: FORM_NAME }).click();
    await waitForPath(page, /^\/approvals\/forms\/[^/]+$/);

    // required fields are refused empty before anything is sent
    const form = page.getByTestId('approval-form');
    await button(form, 'approvalscentre.submit.button').click();
    await form.getByText(t('approvalscentre.form.required', { field: FIELD.reason })).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/approvals\/forms\//);

    // money is typed in 元
    await form.getByLabel(FIELD.amount).fill('2500.5');
    await form.getByLabel(FIELD.category).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '差旅' }).click();
    await form.getByLabel(FIELD.reason).fill(REASON);
    await mark(page);
    await button(form, 'approvalscentre.submit.button').click();

    await waitForPath(page, /^\/approvals\/(?!forms\/)[^/]+$/);
    approvalId = new URL(page.url()).pathname.split('/')[2];
    await expect.poll(() => status(page).innerText()).toBe(t('approvalscentre.status.pending'));
    await page.getByTestId('approval-title').getByText(`${FORM_NAME} - ${SUBMITTER.name}`).waitFor();
    // the values as submitted: ¥2,500.50, not 250050
    const fields = page.getByTestId('document-fields');
    await fields.getByText('¥2,500.50').waitFor();
    await fields.getByText(REASON).waitFor();
    // the chain: 部门审批 waits for A
    await chainPoint(page, '部门审批').getByText(APPROVER_A.name).waitFor();
    await chainPoint(page, '部门审批').getByText(t('approvalscentre.task.pending')).waitFor();
    // nobody has acted yet: the submitter may withdraw, but not approve
    await button(page.getByTestId('approval-actions'), 'approvalscentre.act.withdraw').waitFor();
    expect(await button(page.getByTestId('approval-actions'), 'approvalscentre.act.approve').count()).toBe(0);
  });

  it('A sees the to-do in the top bar, approves it, and the submitter’s page moves on to 财务审批 without a reload', async () => {
    step = 'approve-a';
    approverA = await openTab(browser);
    const { page } = approverA;
    await openFromTodo(page, APPROVER_A);
    await approve(page, COMMENT_A);
    await chainPoint(page, '部门审批').getByText(t('approvalscentre.task.approved')).waitFor();
    // the to-do count drops to nothing
    await expect.poll(async () => (await page.getByTestId('approval-badge').innerText()).trim()).toBe('');

    // the submitter's page followed on its own: 部门审批 approved, the branch above ¥1,000 taken, B to decide
    const s = submitter.page;
    await chainPoint(s, '部门审批').getByText(t('approvalscentre.task.approved')).waitFor();
    await chainPoint(s, '财务审批').getByText(BIG).waitFor();
    await chainPoint(s, '财务审批').getByText(APPROVER_B.name).waitFor();
    await s.getByTestId('approval-history').getByText(COMMENT_A).waitFor();
    expect(await status(s).innerText()).toBe(t('approvalscentre.status.pending'));
    // an approver has acted: no more withdrawing
    await expect.poll(() => button(s.getByTestId('approval-actions'), 'approvalscentre.act.withdraw').count()).toBe(0);
    expect(await marked(s)).toBe(true);
  });

  it('B approves the second point; the submitter’s open page turns 已通过 without a reload', async () => {
    step = 'approve-b';
    approverB = await openTab(browser);
    const { page } = approverB;
    await openFromTodo(page, APPROVER_B);
    await approve(page, COMMENT_B);
    await expect.poll(() => status(page).innerText()).toBe(t('approvalscentre.status.approved'));

    const s = submitter.page;
    await expect.poll(() => status(s).innerText(), { timeout: 10_000 }).toBe(t('approvalscentre.status.approved'));
    expect(await marked(s)).toBe(true);
    await chainPoint(s, '财务审批').getByText(t('approvalscentre.task.approved')).waitFor();
    await s.getByTestId('approval-chain').getByText(t('approvalscentre.chain.end.approved')).waitFor();
    // the history: submitted, A approved, B approved — with their comments
    const history = s.getByTestId('approval-history');
    await history.getByText(COMMENT_B).waitFor();
    const approvals = history.locator('.ant-timeline-item').filter({ hasText: t('approvalscentre.action.approve') });
    await expect.poll(() => approvals.count()).toBe(2);
    expect(await button(s.getByTestId('approval-actions'), 'approvalscentre.act.withdraw').count()).toBe(0);

    // 我发起的 lists it as 已通过; A's 已办 too
    await s.goto('/approvals?box=mine');
    await s.getByRole('row').filter({ hasText: FORM_NAME }).getByText(t('approvalscentre.status.approved')).waitFor();
    await approverA.page.goto('/approvals?box=done');
    await approverA.page.getByRole('row').filter({ hasText: FORM_NAME }).getByText(t('approvalscentre.status.approved')).waitFor();
    for (const tab of [submitter, approverA, approverB]) expect(tab.errors).toEqual([]);
  });
});
