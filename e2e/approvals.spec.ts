import { describe, expect, it } from 'vitest';
import { EMPTY_PERMISSIONS } from '@common/permissions';
import type { ApprovalFlow, ApprovalForm, CreateFlowBody } from '@common/schemas/approvals';
import { approve, chainPoint, mark, marked, openFromTodo, status } from './approval-pages';
import { button, opened, t, waitForPath, type Tab } from './browser';
import { api, firstSignIn, makeDepartment, makePosition, makeUser, scenario, setUpCompany, type Person } from './session';

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

const run = scenario('approvals');
let submitter: Tab;
let approverA: Tab;
let approverB: Tab;
let approvalId = '';
/** the submitter's approval as A and B find it in their 待办 box */
const todo = () => ({ submitter: SUBMITTER.name, formName: FORM_NAME, approvalId });

describe('approval centre scenario', () => {
  it('the admin sets up the company, three people, the 报销 form and its two-point flow with a condition', async () => {
    run.step = 'setup';
    const { page } = run.admin;
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
    run.step = 'submit';
    submitter = await run.tab('submitter');
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
    run.step = 'approve-a';
    approverA = await run.tab('approverA');
    const { page } = approverA;
    await openFromTodo(page, APPROVER_A, todo());
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
    run.step = 'approve-b';
    approverB = await run.tab('approverB');
    const { page } = approverB;
    await openFromTodo(page, APPROVER_B, todo());
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
