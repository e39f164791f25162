import type { Db, DbOrTx } from '@server/db/types';
import type { ConvertLeadBody, ConvertLeadResult } from '@common/schemas/leads';
import type { CreateCustomerBody } from '@common/schemas/customers';
import type { ContactInput } from '@common/schemas/contacts';
import { nowIso } from '@server/db/ids';
import type { Auth } from '@server/platform/access/types';
import { audit, type Actor } from '@server/platform/audit/audit.service';
import { AppError } from '@server/platform/http/errors';
import { withTx } from '@server/platform/org/caller';
import { createCustomer, recordRefusal } from './customers.service';
import { recomputeContact } from './contact-time';
import { findLeadRow, linkLeadHistory, updateLeadRow, type LeadRow } from './leads.repository';
import { leadScope, loadLead, presentLead } from './leads.service';

/** The customer a lead becomes, before the caller's overrides. */
function customerFromLead(lead: LeadRow, body: ConvertLeadBody): CreateCustomerBody {
  const phones = [...new Set([lead.phone, lead.mobile].filter((p): p is string => !!p))];
  const base: CreateCustomerBody = {
    name: lead.company || lead.name,
    ...(phones.length ? { phones } : {}),
    source: lead.source,
    industry: lead.industry,
    regionCode: lead.region_code,
    address: lead.address,
    nextFollowUpAt: lead.next_follow_up_at,
  };
  const withOverrides: CreateCustomerBody = { ...base, ...body.customer, name: body.customer?.name ?? base.name };
  // the owner is the lead's: whoever worked the lead keeps the customer (归属保护)
  if (lead.owner_id) withOverrides.ownerId = lead.owner_id;
  if (body.createContact !== false) withOverrides.contacts = [contactFromLead(lead, body)];
  return withOverrides;
}

/** The lead's person as the customer's (primary) contact, with the caller's overrides. */
function contactFromLead(lead: LeadRow, body: ConvertLeadBody): ContactInput {
  return {
    name: lead.name,
    title: lead.title,
    mobile: lead.mobile,
    phone: lead.phone,
    email: lead.email,
    wechat: lead.wechat,
    isPrimary: true,
    ...body.contact,
  };
}

/**
 * 转为客户: turns a lead into a customer in one transaction. The customer goes through
 * `createCustomer`, so the duplicate check (409 customer_duplicate naming the owner), required
 * fields, caps, numbering, owner history (reason 'convert') and search index all apply; when it
 * refuses, nothing is written (but the data-quality trace of the refusal, as for any save) and its
 * error reaches the caller unchanged. Then the lead's follow-ups and schedules also belong to the
 * customer (lead_id kept), the customer's contact times are recomputed from them, and the lead is
 * marked converted (read-only from then on). Audited 'convert' on the lead.
 */
export async function convertLead(db: DbOrTx, id: string, body: ConvertLeadBody, auth: Auth, actor: Actor): Promise<ConvertLeadResult> {
  let attempted: string | undefined;
  try {
    return await withTx(db, async (tx) => {
      const lead = await loadLead(tx, id, auth);
      if (lead.status === 'converted') throw new AppError('lead_converted', { customer: lead.converted_customer_name ?? '' });
      const input = customerFromLead(lead, body);
      attempted = input.name;
      const customer = await createCustomer(tx, input, auth, { actor, reason: 'convert', trustOwner: true });
      let contactId: string | null = null;
      if (body.createContact !== false) {
        const contact = await tx
          .selectFrom('contacts')
          .select('id')
          .where('customer_id', '=', customer.id)
          .where('deleted_at', 'is', null)
          .orderBy('id')
          .executeTakeFirst();
        contactId = contact?.id ?? null;
      }
      const now = nowIso();
      const linked = await linkLeadHistory(tx, lead.id, customer.id, contactId, now);
      if (linked.followUps || linked.schedules)
        await recomputeContact(tx, { customerId: customer.id, leadId: null }, actor, now, 'convert');
      const patch = { status: 'converted', converted_customer_id: customer.id, converted_contact_id: contactId, converted_at: now };
      if (!(await updateLeadRow(tx, lead.id, lead.version, patch, now))) throw new AppError('stale_version');
      await audit(tx, actor, {
        action: 'convert',
        entity: 'lead',
        entityId: lead.id,
        before: { status: lead.status },
        after: { status: 'converted', convertedCustomerId: customer.id, convertedContactId: contactId },
        detail: JSON.stringify({ customer: customer.name, followUps: linked.followUps, schedules: linked.schedules }),
      });
      const after = (await findLeadRow(tx, lead.id, leadScope(auth)))!;
      return { lead: presentLead(after, auth), customerId: customer.id, contactId };
    });
  } catch (err) {
    // the duplicate attempt / incomplete save counts in the data-quality report, as on any save
    if (attempted !== undefined && !db.isTransaction) await recordRefusal(db as Db, auth.user.id, err, { name: attempted });
    throw err;
  }
}
