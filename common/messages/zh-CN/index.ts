import errors from './errors';
import orgui from './orgui';
import permissions from './permissions';
import audit from './audit';
import system from './system';
import org from './org';
import shell from './shell';
import auth from './auth';
import me from './me';
import home from './home';
import notifications from './notifications';
import fields from './fields';
import followups from './followups';
import pool from './pool';
import reports from './reports';
import customers from './customers';
import customersui from './customersui';
import salesui from './salesui';
import leads from './leads';
import contacts from './contacts';
import excel from './excel';
import approvals from './approvals';
import approvalsapi from './approvalsapi';
import approvalsdesigner from './approvalsdesigner';
import approvalscentre from './approvalscentre';
import transferrequests from './transferrequests';
import mail from './mail';
import mailsend from './mailsend';
import mailui from './mailui';

/** The whole catalog of this language: one section file per area, merged here. */
export default {
  ...errors,
  ...orgui,
  ...permissions,
  ...audit,
  ...system,
  ...org,
  ...shell,
  ...auth,
  ...me,
  ...home,
  ...notifications,
  ...fields,
  ...followups,
  ...pool,
  ...reports,
  ...customers,
  ...customersui,
  ...salesui,
  ...leads,
  ...contacts,
  ...excel,
  ...approvals,
  ...approvalsapi,
  ...approvalsdesigner,
  ...approvalscentre,
  ...transferrequests,
  ...mail,
  ...mailsend,
  ...mailui,
} as Record<string, string>;
