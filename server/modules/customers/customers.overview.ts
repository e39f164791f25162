import type { Locale } from '@common/messages/index';
import type { Customer360 } from '@common/schemas/customers';
import type { DbOrTx } from '@server/db/types';
import type { Auth } from '@server/platform/access/types';
import { listContacts } from './contacts.service';
import { getCustomer } from './customers.service';
import { listFollowUps } from './follow-ups.service';
import { listImportantDates } from './important-dates.service';
import { ownerHistory } from './pool.service';
import { listSchedules } from './schedules.service';

/** Follow-ups on the first screen of the timeline; the rest page in through GET /follow-ups. */
const FOLLOW_UPS = 20;
const SCHEDULES = 50;
const CONTACTS = 200;

/**
 * The customer page (360°) in one response. Each part is read through its own service, so each
 * applies its own visibility: contacts under the contacts scope, follow-ups and schedules the viewer
 * may see on this customer, the owner history and important dates of a customer the viewer sees.
 * 404 when the customer is not visible.
 */
export async function customerOverview(db: DbOrTx, auth: Auth, id: string, locale: Locale, now = new Date()): Promise<Customer360> {
  const customer = await getCustomer(db, auth, id);
  const [contacts, followUps, schedules, history, dates] = await Promise.all([
    listContacts(db, auth, { customerId: id, limit: CONTACTS }),
    listFollowUps(db, auth, { customerId: id, limit: FOLLOW_UPS }),
    listSchedules(db, auth, { customerId: id, done: 'false', limit: SCHEDULES }),
    ownerHistory(db, auth, id, locale),
    listImportantDates(db, auth, id, now),
  ]);
  return {
    customer,
    contacts: contacts.items,
    followUps: followUps.items,
    followUpsNextCursor: followUps.nextCursor,
    schedules: schedules.items,
    team: customer.team ?? [],
    ownerHistory: history,
    importantDates: dates.items,
  };
}
