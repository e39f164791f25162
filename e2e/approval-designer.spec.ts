import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { EMPTY_PERMISSIONS } from '@common/permissions';
import type { ApprovalDetail, ApprovalFlow, ApprovalForm, BranchNode, PointNode } from '@common/schemas/approvals';
import type { Department } from '@common/schemas/org';
import { approve, chainPoint, mark, marked, openFromTodo, status } from './approval-pages';
import { button, opened, t, waitForPath, type Tab } from './browser';
import { api, firstSignIn, makeDepartment, makePosition, makeUser, scenario, setUpCompany, type Person } from './session';

/**
 * The flow designer in the browser, end to end (issue 4), on a fresh server of its own. The admin
 * defines a custom form (报销) on 审批表单 and designs its flow in the visual designer: 主管审批 by the
 * submitter's supervisor, then a condition branch — above 5000 元 财务审批 by a named user, otherwise
 * the department head. The designer will not save while a branch holds a point without approvers.
 * The submitter asks for 8000 元; A (the supervisor) and B (财务) approve in their own browsers while
 * the submitter's page, never reloaded, follows each step to 已通过. The otherwise branch's point
 * never gets a task. The steps build on each other and run in order.
 */

const ADMIN = { username: 'admin', password: 'Admin2026x', name: '王管理' };
const SUBMITTER: Person = { username: 'zhang.san', name: '张三', initial: 'Init2026x', password: 'ZhangSan2026x' };
const APPROVER_A: Person = { username: 'li.si', name: '李四', initial: 'Init2026x', password: 'LiSi2026xy' };
const APPROVER_B: Person = { username: 'wang.wu', name: '王五', initial: 'Init2026x', password: 'WangWu2026x' };
const HEAD: Person = { username: 'zhao.liu', name: '赵六', initial: 'Init2026x', password: 'ZhaoLiu2026x' };
const SALES = '销售部';
const FINANCE = '财务部';

const FORM_NAME = '报销';
const FIELD = { amount: '金额', note: '说明' };
const FLOW_NAME = '报销审批';
const POINT_1 = '主管审批';
const POINT_2 = '财务审批';
const POINT_OTHER = '部门负责人审批';
const BIG = '超过 5000 元';
const NOTE = '十一月深圳客户拜访差旅费';
const COMMENT_A = '情况属实，同意报销';
const COMMENT_B = '财务已核对发票';

const D = 'approvalsdesigner';
/** bounded waits for what follows an action (a drawer's motion, a realtime push) */
const WAIT = { timeout: 10_000 };

const run = scenario('designer');
let submitter: Tab;
let approverA: Tab;
let approverB: Tab;
let formId = '';
let flowId = '';
let approvalId = '';
/** the submitter's approval as A and B find it in their 待办 box */
const todo = () => ({ submitter: SUBMITTER.name, formName: FORM_NAME, approvalId });
const users: Record<'submitter' | 'a' | 'b' | 'head', string> = { submitter: '', a: '', b: '', head: '' };

/** Picks the option `text` of the antd Select labelled `label` inside `scope` (the last such Select: the row just added). */
async function pick(page: Page, scope: Locator, label: string, text: string) {
  await scope.getByLabel(label, { exact: true }).last().click();
  // a click during the dropdown's opening motion may be lost: wait for it to settle first
  const dropdown = await opened(page.locator('.ant-select-dropdown:visible'));
  const exactly = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await dropdown.locator('.ant-select-item-option').filter({ hasText: exactly }).first().click();
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count(), WAIT).toBe(0);
}

/** The open drawer of the designer (a point's or a branch's); closing it with 完成 waits until it is gone. */
const drawer = (page: Page) => page.getByRole('dialog');
async function done(page: Page) {
  await button(drawer(page), `${D}.done`).click();
  await expect.poll(() => page.getByRole('dialog').count(), WAIT).toBe(0);
}

/** The "+" under `after` on the designer's chain, then 添加审批点 / 添加条件分支 in its menu. */
async function addAfter(page: Page, after: string, what: 'point' | 'branch') {
  await page.getByRole('button', { name: t(`${D}.add.after`, { name: after }), exact: true }).click();
  const menu = page.locator('.ant-popover:not(.ant-popover-hidden)');
  await button(menu, `${D}.add.${what}`).click();
  await expect.poll(() => menu.count(), WAIT).toBe(0);
}

/** A point card of the designer's chain, by its name. */
const pointCard = (page: Page, name: string) => page.getByRole('button', { name: t(`${D}.point.aria`, { name }), exact: true });

/** The designer's 保存 button. */
const saveButton = (page: Page) => button(page, 'common.save');

/** The detail page's 当前审批 entry: the current point with its approvers. */
const current = (page: Page) =>
  page
    .locator('.ant-descriptions-item')
    .filter({ hasText: t('approvalscentre.col.current') })
    .locator('.ant-descriptions-item-content');

describe('approval designer scenario', () => {
  it('the admin sets up the company: 销售部 with its head, 财务部, a submitter, the supervisor A and 财务 B', async () => {
    run.step = 'setup';
    const { page } = run.admin;
    await page.goto('/');
    await setUpCompany(page, '深圳协同测试有限公司', ADMIN);
    const sales = await makeDepartment(page, SALES);
    const finance = await makeDepartment(page, FINANCE);
    // approving needs no permission, nor does submitting a custom form
    const staff = await makePosition(page, '员工', EMPTY_PERMISSIONS);
    const accountant = await makePosition(page, '财务', EMPTY_PERMISSIONS);
    users.head = (await makeUser(page, HEAD, sales.id, staff.id)).id;
    users.a = (await makeUser(page, APPROVER_A, sales.id, staff.id, users.head)).id;
    users.submitter = (await makeUser(page, SUBMITTER, sales.id, staff.id, users.a)).id;
    users.b = (await makeUser(page, APPROVER_B, finance.id, accountant.id)).id;
    const withHead = await api<Department>(page, 'PATCH', `/departments/${sales.id}`, { version: sales.version, headUserId: users.head });
    expect(withHead.headUserId).toBe(users.head);
  });

  it('the admin creates the 报销 form on 审批表单 (金额 required, 说明)', async () => {
    run.step = 'form';
    const { page } = run.admin;
    await page.goto('/settings/approval-forms');
    await page.getByText(t(`${D}.forms.empty`)).waitFor();
    await button(page, `${D}.forms.create`).click();
    const form = page.getByRole('dialog').filter({ hasText: t(`${D}.forms.create_title`) });
    await form.getByLabel(t(`${D}.forms.name`), { exact: true }).fill(FORM_NAME);
    await pick(page, form, t(`${D}.forms.icon`), t(`${D}.forms.icon.expense`));
    // the first field row is there already, required
    const label = () => form.getByLabel(t(`${D}.forms.field_label`), { exact: true });
    const key = () => form.getByLabel(t(`${D}.forms.field_key`), { exact: true });
    await label().nth(0).fill(FIELD.amount);
    await key().nth(0).fill('amount');
    await pick(page, form, t(`${D}.forms.field_type`), t(`${D}.forms.type.money`));
    await button(form, `${D}.forms.add_field`).click();
    await expect.poll(() => label().count(), WAIT).toBe(2);
    await label().nth(1).fill(FIELD.note);
    await key().nth(1).fill('note');
    await pick(page, form, t(`${D}.forms.field_type`), t(`${D}.forms.type.textarea`));
    await button(form, 'common.save').click();
    await form.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: FORM_NAME });
    await row.getByRole('cell', { name: '2', exact: true }).waitFor();
    const forms = await api<{ items: ApprovalForm[] }>(page, 'GET', '/approval-forms');
    const saved = forms.items.find((f) => f.name === FORM_NAME);
    expect(saved?.fields).toEqual([
      { key: 'amount', label: FIELD.amount, type: 'money', required: true },
      { key: 'note', label: FIELD.note, type: 'textarea', required: false },
    ]);
    formId = saved!.id;
  });

  it('the admin designs its flow: 主管审批, then a branch — above 5000 元 财务审批, otherwise the department head; no save while a branch lacks approvers', async () => {
    run.step = 'design';
    const { page } = run.admin;
    // 设计审批流程 from the form's row → its flows (none yet) → 新建流程
    await page
      .getByRole('row')
      .filter({ hasText: FORM_NAME })
      .getByRole('button', { name: new RegExp(t(`${D}.forms.design_flow`)) })
      .click();
    await waitForPath(page, '/settings/approval-flows');
    expect(new URL(page.url()).searchParams.get('type')).toBe(`form.${formId}`);
    await page.getByText(t(`${D}.flows.empty`)).waitFor();
    await button(page, `${D}.flows.create`).click();
    await waitForPath(page, '/settings/approval-flows/new');

    // a new flow: no name yet and one point without approvers — nothing to save
    const save = saveButton(page);
    await pointCard(page, t(`${D}.point.default_name`)).waitFor();
    await expect.poll(() => save.isDisabled(), WAIT).toBe(true);
    await page.getByLabel(t(`${D}.flow.name`), { exact: true }).fill(FLOW_NAME);
    await page.getByRole('switch', { name: t(`${D}.flow.is_default`), exact: true }).click();
    await expect.poll(() => page.getByRole('switch', { name: t(`${D}.flow.is_default`), exact: true }).isChecked(), WAIT).toBe(true);

    // point 1: 主管审批 = the submitter's supervisor, any one decides
    await pointCard(page, t(`${D}.point.default_name`)).click();
    await opened(drawer(page));
    await drawer(page)
      .getByLabel(t(`${D}.point.name`), { exact: true })
      .fill(POINT_1);
    await button(drawer(page), `${D}.point.add_approver`).click();
    await pick(page, drawer(page), t(`${D}.approver.kind`), t(`${D}.approver.kind.supervisor`));
    await drawer(page)
      .getByRole('radio', { name: new RegExp(`^${t(`${D}.mode.any`)}`) })
      .check();
    await done(page);
    await pointCard(page, POINT_1)
      .getByText(t(`${D}.approver.kind.supervisor`), { exact: true })
      .waitFor();

    // a condition branch after it: 条件1 (to set) and 其他情况
    await addAfter(page, POINT_1, 'branch');
    const firstBranch = t(`${D}.branch.default_name`, { n: 1 });
    const otherwise = t(`${D}.branch.otherwise_name`);
    await page.getByRole('button', { name: t(`${D}.branch.aria`, { name: firstBranch }), exact: true }).click();
    await opened(drawer(page));
    await drawer(page)
      .getByLabel(t(`${D}.branch.name`), { exact: true })
      .fill(BIG);
    await button(drawer(page), `${D}.cond.add_first`).click();
    await pick(page, drawer(page), t(`${D}.cond.field`), FIELD.amount);
    await pick(page, drawer(page), t(`${D}.cond.operator`), t(`${D}.op.gt`));
    await drawer(page)
      .getByLabel(t(`${D}.cond.value`), { exact: true })
      .fill('5000');
    await done(page);
    const bigCard = page.getByRole('button', { name: t(`${D}.branch.aria`, { name: BIG }), exact: true });
    const condition = t(`${D}.cond.row`, { field: FIELD.amount, op: t(`${D}.op.gt`), value: t(`${D}.cond.yuan`, { n: '5,000' }) });
    await bigCard.getByText(condition, { exact: true }).waitFor();

    // point 2 in the branch above 5000 元: 财务审批 = B by name
    await addAfter(page, BIG, 'point');
    await pointCard(page, t(`${D}.point.default_name`)).click();
    await opened(drawer(page));
    await drawer(page)
      .getByLabel(t(`${D}.point.name`), { exact: true })
      .fill(POINT_2);
    await button(drawer(page), `${D}.point.add_approver`).click();
    await pick(page, drawer(page), t(`${D}.approver.kind`), t(`${D}.approver.kind.users`));
    const picker = drawer(page).getByLabel(t(`${D}.approver.kind.users`), { exact: true });
    await picker.click();
    await picker.pressSequentially(APPROVER_B.name);
    await page.locator('.ant-select-dropdown:visible').getByTitle(`${APPROVER_B.name}（${FINANCE}）`, { exact: true }).click();
    // closes the user dropdown (Escape would close the drawer)
    await drawer(page)
      .getByText(t(`${D}.point.name`), { exact: true })
      .click();
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count(), WAIT).toBe(0);
    await done(page);
    await pointCard(page, POINT_2)
      .getByText(t(`${D}.approver.summary.users`, { names: APPROVER_B.name }))
      .waitFor();

    // the otherwise branch holds nothing with approvers yet: refused, on its card, and Save stays disabled
    const otherwiseCard = page.getByRole('button', { name: t(`${D}.branch.aria`, { name: otherwise }), exact: true });
    await otherwiseCard.getByText(t('approvalsapi.invalid.empty_branch', { name: otherwise })).waitFor();
    expect(await otherwiseCard.getAttribute('aria-invalid')).toBe('true');
    expect(await save.isDisabled()).toBe(true);

    // an empty point there: its card says it has no approvers, the branch is still refused
    await addAfter(page, otherwise, 'point');
    const empty = pointCard(page, t(`${D}.point.default_name`));
    await empty.getByText(t('approvalsapi.invalid.no_approvers', { name: t(`${D}.point.default_name`) })).waitFor();
    expect(await empty.getAttribute('aria-invalid')).toBe('true');
    await otherwiseCard.getByText(t('approvalsapi.invalid.empty_branch', { name: otherwise })).waitFor();
    expect(await save.isDisabled()).toBe(true);
    await save.hover();
    await page
      .getByRole('tooltip')
      .getByText(t(`${D}.designer.fix_first`, { n: 2 }))
      .waitFor();

    // fixed: the department head (this document will never take that branch)
    await empty.click();
    await opened(drawer(page));
    await drawer(page)
      .getByText(t('approvalsapi.invalid.no_approvers', { name: t(`${D}.point.default_name`) }))
      .waitFor();
    await drawer(page)
      .getByLabel(t(`${D}.point.name`), { exact: true })
      .fill(POINT_OTHER);
    await button(drawer(page), `${D}.point.add_approver`).click();
    await pick(page, drawer(page), t(`${D}.approver.kind`), t(`${D}.approver.kind.department_head`));
    await done(page);
    await pointCard(page, POINT_OTHER)
      .getByText(t(`${D}.approver.kind.department_head`), { exact: true })
      .waitFor();
    expect(await pointCard(page, POINT_OTHER).getAttribute('aria-invalid')).toBeNull();
    expect(await otherwiseCard.getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => save.isEnabled(), WAIT).toBe(true);

    await save.click();
    await page.getByText(t(`${D}.saved_new`)).waitFor();
    await waitForPath(page, /^\/settings\/approval-flows\/(?!new$)[^/]+$/);
    flowId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByText(t(`${D}.designer.version`, { version: 1 })).waitFor();
    // saved and nothing left unsaved: Save rests disabled until something changes
    await pointCard(page, POINT_OTHER).waitFor();
    await expect.poll(() => save.isDisabled(), WAIT).toBe(true);

    // what the server holds is the chain as designed
    const flow = await api<ApprovalFlow>(page, 'GET', `/approval-flows/${flowId}`);
    expect(flow).toMatchObject({ type: `form.${formId}`, name: FLOW_NAME, isDefault: true, enabled: true, entry: null });
    const [p1, branch] = flow.definition.nodes as [PointNode, BranchNode];
    expect(flow.definition.nodes).toHaveLength(2);
    expect(p1).toMatchObject({ kind: 'point', name: POINT_1, approvers: [{ kind: 'supervisor' }], mode: 'any' });
    expect(branch.kind).toBe('branch');
    expect(branch.branches.map((b) => b.name)).toEqual([BIG, otherwise]);
    // 5000 元 = 500,000 fen
    expect(branch.branches[0].condition).toEqual({ any: [[{ field: 'amount', op: 'gt', value: 500_000 }]] });
    expect(branch.branches[0].nodes).toMatchObject([{ kind: 'point', name: POINT_2, approvers: [{ kind: 'users', userIds: [users.b] }] }]);
    expect(branch.branches[1].condition).toBeNull();
    expect(branch.branches[1].nodes).toMatchObject([{ kind: 'point', name: POINT_OTHER, approvers: [{ kind: 'department_head' }] }]);
    expect(run.admin.errors).toEqual([]);
  }, 150_000);

  it('the submitter asks for 8000 元 from the approval centre: 审批中, 主管审批 with A', async () => {
    run.step = 'submit';
    submitter = await run.tab('submitter');
    const { page } = submitter;
    await firstSignIn(page, SUBMITTER);
    await page.goto('/approvals');
    await button(page, 'approvalscentre.new').click();
    const picker = await opened(page.getByRole('dialog').filter({ hasText: t('approvalscentre.picker.title') }));
    await picker.getByTestId('form-card').filter({ hasText: FORM_NAME }).click();
    await waitForPath(page, `/approvals/forms/${formId}`);

    const form = page.getByTestId('approval-form');
    await form.getByLabel(FIELD.amount).fill('8000');
    await form.getByLabel(FIELD.note).fill(NOTE);
    await mark(page);
    await button(form, 'approvalscentre.submit.button').click();

    await waitForPath(page, /^\/approvals\/(?!forms\/)[^/]+$/);
    approvalId = new URL(page.url()).pathname.split('/')[2];
    await expect.poll(() => status(page).innerText(), WAIT).toBe(t('approvalscentre.status.pending'));
    await page.getByTestId('document-fields').getByText('¥8,000.00').waitFor();
    await expect.poll(() => current(page).innerText(), WAIT).toBe(`${POINT_1}（${APPROVER_A.name}）`);
    await chainPoint(page, POINT_1).getByText(APPROVER_A.name).waitFor();
    await chainPoint(page, POINT_1).getByText(t('approvalscentre.task.pending')).waitFor();
    // the point of the branch this document does not take is never drawn
    expect(await page.getByTestId('approval-chain').getByText(POINT_OTHER).count()).toBe(0);
    expect(await marked(page)).toBe(true);
  });

  it('A sees 1 to-do, approves with a comment; the submitter’s open page moves on to 财务审批 (B) without a reload', async () => {
    run.step = 'approve-a';
    approverA = await run.tab('approverA');
    const { page } = approverA;
    await openFromTodo(page, APPROVER_A, todo());
    await approve(page, COMMENT_A);
    await chainPoint(page, POINT_1).getByText(t('approvalscentre.task.approved')).waitFor();
    await expect.poll(async () => (await page.getByTestId('approval-badge').innerText()).trim(), WAIT).toBe('');

    const s = submitter.page;
    await expect.poll(() => current(s).innerText(), { timeout: 15_000 }).toBe(`${POINT_2}（${APPROVER_B.name}）`);
    await chainPoint(s, POINT_1).getByText(t('approvalscentre.task.approved')).waitFor();
    await chainPoint(s, POINT_2).getByText(BIG).waitFor();
    await chainPoint(s, POINT_2).getByText(APPROVER_B.name).waitFor();
    await chainPoint(s, POINT_2).getByText(t('approvalscentre.task.pending')).waitFor();
    await s.getByTestId('approval-history').getByText(COMMENT_A).waitFor();
    expect(await status(s).innerText()).toBe(t('approvalscentre.status.pending'));
    expect(await s.getByTestId('approval-chain').getByText(POINT_OTHER).count()).toBe(0);
    expect(await marked(s)).toBe(true);
  });

  it('B approves; the submitter’s open page turns 已通过 with both approvals in its history, and 其他情况 never got a task', async () => {
    run.step = 'approve-b';
    approverB = await run.tab('approverB');
    const { page } = approverB;
    await openFromTodo(page, APPROVER_B, todo());
    await approve(page, COMMENT_B);
    await expect.poll(() => status(page).innerText(), WAIT).toBe(t('approvalscentre.status.approved'));

    const s = submitter.page;
    await expect.poll(() => status(s).innerText(), { timeout: 15_000 }).toBe(t('approvalscentre.status.approved'));
    expect(await marked(s)).toBe(true);
    await chainPoint(s, POINT_2).getByText(t('approvalscentre.task.approved')).waitFor();
    await s.getByTestId('approval-chain').getByText(t('approvalscentre.chain.end.approved')).waitFor();
    expect(await current(s).count()).toBe(0);
    const history = s.getByTestId('approval-history');
    await history.getByText(COMMENT_A).waitFor();
    await history.getByText(COMMENT_B).waitFor();
    const approvals = history.locator('.ant-timeline-item').filter({ hasText: t('approvalscentre.action.approve') });
    await expect.poll(() => approvals.count(), WAIT).toBe(2);
    await approvals.filter({ hasText: APPROVER_A.name }).getByText(COMMENT_A).waitFor();
    await approvals.filter({ hasText: APPROVER_B.name }).getByText(COMMENT_B).waitFor();
    // the branch not taken is not drawn
    expect(await s.getByTestId('approval-chain').getByText(POINT_OTHER).count()).toBe(0);

    // and the server agrees: tasks for A and B only, none on the otherwise branch's point nor for its head
    const detail = await api<ApprovalDetail>(run.admin.page, 'GET', `/approvals/${approvalId}`);
    const flow = await api<ApprovalFlow>(run.admin.page, 'GET', `/approval-flows/${flowId}`);
    const branch = flow.definition.nodes[1] as BranchNode;
    const [p1, p2, other] = [flow.definition.nodes[0], branch.branches[0].nodes[0], branch.branches[1].nodes[0]].map((n) => n.id);
    expect(detail.status).toBe('approved');
    expect(detail.path).toEqual([p1, p2]);
    expect(detail.tasks.map((x) => [x.nodeId, x.approverId, x.status, x.comment])).toEqual([
      [p1, users.a, 'approved', COMMENT_A],
      [p2, users.b, 'approved', COMMENT_B],
    ]);
    expect(detail.tasks.some((x) => x.nodeId === other || x.approverId === users.head)).toBe(false);
    for (const tab of [run.admin, submitter, approverA, approverB]) expect(tab.errors).toEqual([]);
  });
});
