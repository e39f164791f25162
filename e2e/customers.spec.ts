import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { translate, type Params } from '@common/messages/index';
import type { PositionPermissions } from '@common/permissions';
import { DEFAULT_CUSTOMER_SETTINGS } from '@common/schemas/customer-settings';
import { button, opened, spaced, t, waitForPath, type Tab } from './browser';
import { firstSignIn, makeDepartment, makePosition, makeUser, scenario, setUpCompany, type Person } from './session';

/**
 * The customer central database in the browser (issue 3), on a fresh server of its own: two sales
 * users with self scope; A enters a customer with its first contact, writes a follow-up and sees it on
 * the timeline; B is refused the same customer under another spelling (and another phone format) and
 * told A owns it, which is all the duplicate check page tells B too; A releases the customer to the
 * public pool and B claims it from the pool view; a lead becomes a customer; the list in English.
 * The steps build on each other and run in order.
 */

const ADMIN = { username: 'admin', password: 'Admin2026x', name: '王管理' };
const SALES_A: Person = { username: 'li.si', name: '李四', initial: 'Init2026x', password: 'LiSi2026xy' };
const SALES_B: Person = { username: 'wang.wu', name: '王五', initial: 'Init2026x', password: 'WangWu2026x' };
const DEPARTMENT = '华南销售部';
const POSITION = '客户销售';

const CUSTOMER = {
  name: '星河协同（深圳）科技有限公司',
  // the same company as B writes it: half-width brackets, no 有限公司
  variant: '星河协同(深圳)科技',
  phone: '13912345678',
  // the same phone as B writes it
  phoneVariant: '+86-139-1234-5678',
  contact: { name: '陈经理', mobile: '13912340000', email: 'chen@xinghe.example.com' },
};
const FOLLOW_UP = '电话沟通了年度采购计划，对方下周安排技术交流';
const RELEASE_NOTE = '客户暂停采购，放回公海';
const LEAD = { name: '赵明', company: '云杉测试贸易有限公司', mobile: '13700001111', email: 'zhao@yunshan.example.com' };

/** a field's duplicate error without the field name in front: 已存在，不能重复 */
const DUPLICATE = t('validation.duplicate', { field: '' }).replace(/^[:：]\s*/, '');
const IMPORTANT = DEFAULT_CUSTOMER_SETTINGS.importances.find((o) => o.key === 'high')!.label;
const en = (key: string, params?: Params) => translate('en-US', key, params);

/** customers, contacts, follow-ups and leads, each on the user's own records (self scope) */
const SALES_RIGHTS: PositionPermissions = {
  modules: {
    customers: { actions: ['view', 'create', 'edit'], scope: 'self' },
    contacts: { actions: ['view', 'create', 'edit'], scope: 'self' },
    followups: { actions: ['view', 'create'], scope: 'self' },
    leads: { actions: ['view', 'create', 'edit'], scope: 'self' },
  },
  fields: {},
};

const run = scenario('customers');
let salesA: Tab;
let salesB: Tab;
let customerId = '';

/** Picks the option `text` of the antd Select labelled `label` inside `scope`. */
async function pick(page: Page, scope: Locator, label: string, text: string) {
  await scope.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
}

/** Opens a page from the left menu, opening its group first when it is closed. */
async function openFromMenu(page: Page, group: string, title: string) {
  const sider = page.locator('.ant-layout-sider');
  const item = sider.getByRole('menuitem', { name: title });
  if (!(await item.isVisible()))
    await sider
      .locator('.ant-menu-submenu-title')
      .filter({ hasText: new RegExp(`^\\s*${group}\\s*$`) })
      .click();
  await item.click();
}

/** The error shown under the form field labelled `label`. */
const fieldError = (scope: Locator, label: string) =>
  scope
    .locator('.ant-form-item')
    .filter({ has: scope.page().getByLabel(label, { exact: true }) })
    .locator('.ant-form-item-explain-error');

/** The 360° page's header card (name, actions, owner, last contact…). */
const header = (page: Page) => page.locator('.ant-card').filter({ has: page.getByTestId('customer-name') });

/** The value shown next to `label` in the header's descriptions. */
const headerValue = (page: Page, label: string) =>
  header(page).locator('.ant-descriptions-item').filter({ hasText: label }).locator('.ant-descriptions-item-content');

/** The company's calendar day (Asia/Shanghai) as the pages print it: 2026-11-27. */
const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** The new-customer drawer of the customer list, filled with everything the default category (直销) requires. */
async function fillNewCustomer(
  page: Page,
  values: { name: string; phone: string; contact: { name: string; mobile: string; email: string } },
): Promise<Locator> {
  await page.goto('/customers');
  await button(page, 'customersui.customer.create').click();
  const drawer = page.getByRole('dialog').filter({ hasText: t('customersui.form.first_contact') });
  await drawer.getByLabel(t('customer.field.name'), { exact: true }).fill(values.name);
  await pick(page, drawer, t('customer.field.importance'), IMPORTANT);
  // phones are tags: type one, Enter
  const phones = drawer.getByLabel(t('customer.field.phones'), { exact: true });
  await phones.click();
  await phones.pressSequentially(values.phone);
  await phones.press('Enter');
  await drawer.locator('.ant-select-selection-item').filter({ hasText: values.phone }).waitFor();
  await drawer.getByLabel(t('contacts.field.name'), { exact: true }).fill(values.contact.name);
  await drawer.getByLabel(t('contacts.field.mobile'), { exact: true }).fill(values.contact.mobile);
  await drawer.getByLabel(t('contacts.field.email'), { exact: true }).fill(values.contact.email);
  return drawer;
}

describe('customer scenario', () => {
  it('the admin sets up the company, a sales department, a sales position with self scope and two salespeople', async () => {
    run.step = 'setup';
    const { page } = run.admin;
    await page.goto('/');
    await setUpCompany(page, '上海协同测试有限公司', ADMIN);
    const department = await makeDepartment(page, DEPARTMENT);
    const position = await makePosition(page, POSITION, SALES_RIGHTS);
    await makeUser(page, SALES_A, department.id, position.id);
    await makeUser(page, SALES_B, department.id, position.id);
    // the admin's user list shows them with their department and position
    await page.goto('/org/users');
    for (const person of [SALES_A, SALES_B]) {
      const row = page.getByRole('row').filter({ hasText: person.username });
      await row.getByText(DEPARTMENT).waitFor();
      await row.getByText(POSITION).waitFor();
    }
  });

  it('A signs in, enters a customer with its first contact and lands on its 360° page', async () => {
    run.step = 'create';
    salesA = await run.tab('salesA');
    const { page } = salesA;
    await firstSignIn(page, SALES_A);

    const drawer = await fillNewCustomer(page, CUSTOMER);
    // the form names what the category requires before anything is sent: take the email out and save
    await drawer.getByLabel(t('contacts.field.email'), { exact: true }).fill('');
    await button(drawer, 'common.save').click();
    await fieldError(drawer, t('contacts.field.email')).getByText(t('customersui.form.required')).waitFor();
    expect(new URL(page.url()).pathname).toBe('/customers');
    await drawer.getByLabel(t('contacts.field.email'), { exact: true }).fill(CUSTOMER.contact.email);
    await button(drawer, 'common.save').click();

    await waitForPath(page, /^\/customers\/[^/]+$/);
    customerId = new URL(page.url()).pathname.split('/')[2];
    await page.getByText(t('customersui.customer.created', { name: CUSTOMER.name })).waitFor();
    await page.getByTestId('customer-name').getByText(CUSTOMER.name, { exact: true }).waitFor();
    await headerValue(page, t('customer.field.ownerName')).getByText(SALES_A.name, { exact: true }).waitFor();
    await headerValue(page, t('customer.field.ownerDepartmentName')).getByText(DEPARTMENT, { exact: true }).waitFor();
    // nobody has contacted the customer yet
    expect((await headerValue(page, t('customer.field.lastContactAt')).innerText()).trim()).toBe('-');

    // the first contact was saved with the customer
    await page.getByRole('tab', { name: t('customersui.tab.contacts') }).click();
    const contactRow = page.getByRole('row').filter({ hasText: CUSTOMER.contact.name });
    await contactRow.getByText(CUSTOMER.contact.mobile).waitFor();
    await contactRow.getByText(CUSTOMER.contact.email).waitFor();
  });

  it('A writes a follow-up (写跟单): it shows on the 跟单 timeline and sets the last contact time', async () => {
    run.step = 'follow-up';
    const { page } = salesA;
    const dayBefore = today();
    await button(header(page), 'customersui.action.follow_up').click();
    const form = page.getByTestId('follow-up-form');
    await form.getByLabel(t('customersui.followup.content')).fill(FOLLOW_UP);
    await pick(page, form, t('customersui.followup.contact'), CUSTOMER.contact.name);
    await button(form, 'customersui.followup.submit').click();
    await page.getByText(t('customersui.followup.saved')).waitFor();
    await form.waitFor({ state: 'hidden' });

    // the 跟单 tab is open and its timeline holds the entry: who, how, with whom, what
    await expect(page.getByRole('tab', { name: t('customersui.tab.followups'), selected: true }).count()).resolves.toBe(1);
    const entry = page.getByTestId('follow-up-timeline').locator('.ant-timeline-item').filter({ hasText: FOLLOW_UP });
    await entry.waitFor();
    await entry.getByText(SALES_A.name, { exact: true }).waitFor();
    await entry.getByText(t('followups.type.phone'), { exact: true }).waitFor();
    await entry.getByText(t('customersui.followup.with', { name: CUSTOMER.contact.name })).waitFor();

    // the header's last contact time is now set, to today
    const last = headerValue(page, t('customer.field.lastContactAt'));
    await last.getByText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/).waitFor();
    expect([dayBefore, today()]).toContain((await last.innerText()).trim().slice(0, 10));

    // and it stays after a reload (stored, not only in the page's cache)
    await page.reload();
    await page.getByTestId('follow-up-timeline').getByText(FOLLOW_UP).waitFor();
    await headerValue(page, t('customer.field.lastContactAt'))
      .getByText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
      .waitFor();
  });

  it('B is refused the same customer written differently, by name and by phone, and told that A owns it', async () => {
    run.step = 'duplicate';
    salesB = await run.tab('salesB');
    const { page } = salesB;
    await firstSignIn(page, SALES_B);

    // another spelling of the name (half-width brackets, no 有限公司), a phone of B's own
    const drawer = await fillNewCustomer(page, {
      name: CUSTOMER.variant,
      phone: '13800005555',
      contact: { name: '刘总', mobile: '13600001111', email: 'liu@example.com' },
    });
    await button(drawer, 'common.save').click();
    const problem = drawer.getByTestId('customer-form-problem');
    await problem.getByText(t('customersui.form.duplicate_title')).waitFor();
    await problem.getByText(t('error.customer_duplicate', { owner: SALES_A.name })).waitFor();
    // nothing else about the customer is shown
    expect(await problem.innerText()).not.toContain(CUSTOMER.name);
    // and the field that clashed is the name
    await fieldError(drawer, t('customer.field.name')).getByText(DUPLICATE).waitFor();
    expect(await fieldError(drawer, t('customer.field.phones')).count()).toBe(0);

    // a name of its own, but A's phone with +86 and dashes: refused as well
    await drawer.getByLabel(t('customer.field.name'), { exact: true }).fill('南岭测试五金有限公司');
    const phones = drawer.getByLabel(t('customer.field.phones'), { exact: true });
    await phones.click();
    await phones.press('Backspace');
    await drawer.locator('.ant-select-selection-item').filter({ hasText: '13800005555' }).waitFor({ state: 'detached' });
    await phones.pressSequentially(CUSTOMER.phoneVariant);
    await phones.press('Enter');
    await drawer.locator('.ant-select-selection-item').filter({ hasText: CUSTOMER.phoneVariant }).waitFor();
    await problem.getByRole('button', { name: /close|关闭/i }).click();
    await problem.waitFor({ state: 'detached' });
    await button(drawer, 'common.save').click();
    await problem.getByText(t('error.customer_duplicate', { owner: SALES_A.name })).waitFor();
    await fieldError(drawer, t('customer.field.phones')).getByText(DUPLICATE).waitFor();
    expect(await fieldError(drawer, t('customer.field.name')).count()).toBe(0);
    await button(drawer, 'common.cancel').click();
    await drawer.waitFor({ state: 'hidden' });

    // nothing was saved, and A's customer is not in B's list (self scope)
    await page
      .getByTestId('customer-total')
      .getByText(t('customersui.list.shown_of_total', { shown: 0, total: 0 }))
      .waitFor();
  });

  it('the duplicate check page (客户查重) tells B who owns it, and nothing more', async () => {
    run.step = 'duplicate-check';
    const { page } = salesB;
    await openFromMenu(page, t('menu.group.customers'), t('customersui.dup.title'));
    await waitForPath(page, '/customers/duplicate-check');
    const name = page.getByLabel(t('customersui.dup.name'), { exact: true });
    const phone = page.getByLabel(t('customersui.dup.phone'), { exact: true });
    const result = page.getByTestId('duplicate-result');
    const leaks = [CUSTOMER.name, CUSTOMER.phone, CUSTOMER.contact.name, CUSTOMER.contact.mobile, CUSTOMER.contact.email, DEPARTMENT];

    await name.fill(CUSTOMER.variant);
    await button(page, 'customersui.dup.check').click();
    await result.getByText(t('customersui.dup.found')).waitFor();
    await result.getByText(t('customersui.dup.by.name'), { exact: true }).waitFor();
    await result.getByText(t('customersui.dup.owned_by', { owner: SALES_A.name })).waitFor();
    const byName = await result.innerText();
    for (const leak of leaks) expect(byName).not.toContain(leak);

    await name.fill('');
    await phone.fill('+86 139-1234-5678');
    await button(page, 'customersui.dup.check').click();
    await result.getByText(t('customersui.dup.by.phone'), { exact: true }).waitFor();
    await result.getByText(t('customersui.dup.owned_by', { owner: SALES_A.name })).waitFor();
    expect(await result.getByText(t('customersui.dup.by.name'), { exact: true }).count()).toBe(0);
    const byPhone = await result.innerText();
    for (const leak of leaks) expect(byPhone).not.toContain(leak);

    // a company nobody entered
    await phone.fill('');
    await name.fill('北辰测试物流有限公司');
    await button(page, 'customersui.dup.check').click();
    await result.getByText(t('customersui.dup.none')).waitFor();
  });

  it('A releases the customer to the public pool (放入公海)', async () => {
    run.step = 'release';
    const { page } = salesA;
    await button(header(page), 'customersui.action.release').click();
    const dialog = await opened(page.getByRole('dialog').filter({ hasText: t('customersui.release.confirm', { name: CUSTOMER.name }) }));
    await dialog.getByPlaceholder(t('customersui.release.note')).fill(RELEASE_NOTE);
    await button(dialog, 'common.confirm').click();
    await page.getByText(t('customersui.release.done')).waitFor();
    await headerValue(page, t('customer.field.ownerName')).getByText(t('customer.owner.pool'), { exact: true }).waitFor();
    // no longer A's: neither edited nor followed up, nor released again
    expect(await button(header(page), 'customersui.action.release').count()).toBe(0);
    expect(await button(header(page), 'customersui.action.follow_up').count()).toBe(0);
  });

  it('B opens the pool view (公海) of the customer list, claims it (领取) and becomes its owner; the owner history lists release and claim', async () => {
    run.step = 'claim';
    const { page } = salesB;
    await openFromMenu(page, t('menu.group.customers'), t('customersui.customers.title'));
    await waitForPath(page, '/customers');
    await page
      .locator('.ant-segmented')
      .filter({ hasText: t('customersui.view.all') })
      .getByText(t('customersui.view.pool'), { exact: true })
      .click();
    const row = page.getByRole('row').filter({ hasText: CUSTOMER.name });
    await row.getByText(t('customer.owner.pool'), { exact: true }).waitFor();
    await row.getByRole('link', { name: CUSTOMER.name }).click();
    await waitForPath(page, `/customers/${customerId}`);

    await button(header(page), 'customersui.action.claim').click();
    const dialog = await opened(page.getByRole('dialog').filter({ hasText: t('customersui.claim.confirm', { name: CUSTOMER.name }) }));
    await button(dialog, 'common.confirm').click();
    await page.getByText(t('customersui.claim.done')).waitFor();
    await headerValue(page, t('customer.field.ownerName')).getByText(SALES_B.name, { exact: true }).waitFor();
    // B's now: B may write follow-ups and sees A's history with the customer
    await button(header(page), 'customersui.action.follow_up').waitFor();

    // 归属变更, newest first: claimed by B from the pool, released by A with the note, created by A
    await page.getByRole('tab', { name: t('customersui.tab.owners') }).click();
    const rows = page
      .getByRole('tabpanel', { name: t('customersui.tab.owners') })
      .getByRole('row')
      .filter({ has: page.getByRole('cell') });
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    const [claimed, released, created] = (await rows.allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
    expect(claimed).toContain(t('pool.reason.claim'));
    expect(claimed).toContain(`${t('customer.owner.pool')} ${SALES_B.name}`);
    expect(released).toContain(t('pool.reason.release'));
    expect(released).toContain(`${SALES_A.name} ${t('customer.owner.pool')}`);
    expect(released).toContain(RELEASE_NOTE);
    expect(created).toContain(t('pool.reason.create'));
    expect(created).toContain(SALES_A.name);

    // the list: B's customers now hold it, with B as the owner; it has left the pool
    await page.goto('/customers');
    await page
      .locator('.ant-segmented')
      .filter({ hasText: t('customersui.view.all') })
      .getByText(t('customersui.view.mine'), { exact: true })
      .click();
    await page.getByRole('row').filter({ hasText: CUSTOMER.name }).getByText(SALES_B.name, { exact: true }).waitFor();
    await page
      .locator('.ant-segmented')
      .filter({ hasText: t('customersui.view.all') })
      .getByText(t('customersui.view.pool'), { exact: true })
      .click();
    await page
      .getByTestId('customer-total')
      .getByText(t('customersui.list.shown_of_total', { shown: 0, total: 0 }))
      .waitFor();

    // and A, whose scope is their own customers, no longer sees it
    await salesA.page.reload();
    await salesA.page.getByText(t('customersui.detail.not_found')).waitFor();
  });

  it('A enters a lead and converts it to a customer, landing on the new customer page', async () => {
    run.step = 'lead';
    const { page } = salesA;
    await openFromMenu(page, t('menu.group.customers'), t('leads.title'));
    await waitForPath(page, '/leads');
    await button(page, 'leads.new').click();
    const drawer = page.getByRole('dialog').filter({ has: page.getByTestId('lead-form') });
    await drawer.getByLabel(t('leads.field.name'), { exact: true }).fill(LEAD.name);
    await drawer.getByLabel(t('leads.field.company'), { exact: true }).fill(LEAD.company);
    await drawer.getByLabel(t('leads.field.mobile'), { exact: true }).fill(LEAD.mobile);
    await drawer.getByLabel(t('leads.field.email'), { exact: true }).fill(LEAD.email);
    await button(drawer, 'common.save').click();
    await drawer.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: LEAD.company });
    await row.getByText(t('leads.status.new'), { exact: true }).waitFor();
    await row.getByRole('link', { name: LEAD.name }).click();
    await waitForPath(page, /^\/leads\/[^/]+$/);
    const leadPath = new URL(page.url()).pathname;

    await button(page, 'leads.convert').click();
    const dialog = await opened(page.getByRole('dialog').filter({ hasText: t('leads.convert.title', { name: LEAD.name }) }));
    // the customer is named after the lead's company
    await expect(dialog.getByLabel(t('customer.field.name'), { exact: true }).inputValue()).resolves.toBe(LEAD.company);
    await button(dialog, 'leads.convert').click();
    await waitForPath(page, /^\/customers\/[^/]+$/);
    await page.getByText(t('leads.convert.done', { customer: LEAD.company })).waitFor();
    await page.getByTestId('customer-name').getByText(LEAD.company, { exact: true }).waitFor();
    await headerValue(page, t('customer.field.ownerName')).getByText(SALES_A.name, { exact: true }).waitFor();
    // the lead's person became the customer's contact
    await page.getByRole('tab', { name: t('customersui.tab.contacts') }).click();
    const contact = page.getByRole('row').filter({ hasText: LEAD.name });
    await contact.getByText(LEAD.mobile).waitFor();
    await contact.getByText(LEAD.email).waitFor();

    // the lead is now marked converted and links to the customer
    await page.goto(leadPath);
    await page.getByText(t('leads.status.converted'), { exact: true }).first().waitFor();
    await page.getByRole('link', { name: t('salesui.leads.open_customer', { name: LEAD.company }) }).waitFor();
  });

  it('in English, the customer list shows English labels', async () => {
    run.step = 'english';
    const { page } = salesA;
    await page.goto('/customers');
    await page.getByRole('row').filter({ hasText: LEAD.company }).waitFor();
    await page.getByTitle(t('shell.language')).click();
    await page.getByRole('menuitem', { name: t('shell.language.en-US') }).click();
    await button(page, 'customersui.customer.create').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: spaced(en('customersui.customer.create')) }).waitFor();
    for (const key of ['customer.field.name', 'customer.field.ownerName', 'customer.field.lastContactAt'])
      await page
        .getByRole('columnheader', { name: en(key) })
        .first()
        .waitFor();
    for (const key of ['customersui.view.all', 'customersui.view.mine', 'customersui.view.pool'])
      await page.locator('.ant-segmented').getByText(en(key), { exact: true }).waitFor();
    await page.getByPlaceholder(en('customersui.filter.search')).waitFor();
    // A's one customer: the converted lead (the first went to B)
    await page
      .getByTestId('customer-total')
      .getByText(en('customersui.list.shown_of_total', { shown: 1, total: 1 }))
      .waitFor();
    // the data itself is unchanged
    await page.getByRole('row').filter({ hasText: LEAD.company }).getByText(SALES_A.name, { exact: true }).waitFor();
  });

  it('no page threw an uncaught error', () => {
    expect(run.admin.errors).toEqual([]);
    expect(salesA?.errors ?? []).toEqual([]);
    expect(salesB?.errors ?? []).toEqual([]);
  });
});
