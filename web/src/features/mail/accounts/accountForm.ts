import dayjs, { type Dayjs } from 'dayjs';
import {
  MAIL_PRESETS,
  type CreateMailAccountBody,
  type IncomingProtocol,
  type MailEndpoint,
  type MailPreset,
  type MailSecurity,
  type UpdateMailAccountBody,
} from '@common/schemas/mail';
import type { MailAccount } from '../api';

/** The account form's values (antd Form). */
export type AccountFormValues = {
  name: string;
  address: string;
  displayName?: string;
  preset: string;
  protocol: IncomingProtocol;
  incoming: MailEndpoint;
  smtp: MailEndpoint;
  username: string;
  password?: string;
  deleteAfterFetch: boolean;
  markAsRead: boolean;
  fetchSince?: Dayjs;
  allowSelfSignedCertificate: boolean;
  fetchIntervalMinutes: number;
  signature?: string;
  isDefault: boolean;
  enabled: boolean;
};

export const CUSTOM_PRESET = 'custom';
/** presets whose mailboxes want an authorisation code (授权码) instead of the password */
export const AUTH_CODE_PRESETS = ['qq', '163', '126'];

/** The standard port of a protocol under a security mode. */
export function standardPort(kind: IncomingProtocol | 'smtp', security: MailSecurity): number {
  if (kind === 'imap') return security === 'tls' ? 993 : 143;
  if (kind === 'pop3') return security === 'tls' ? 995 : 110;
  return security === 'tls' ? 465 : security === 'starttls' ? 587 : 25;
}

export const isStandardPort = (port: number | undefined) => port === undefined || [993, 143, 995, 110, 465, 587, 25].includes(port);

/** The preset an address belongs to by its domain (qq.com → QQ …). */
export function presetOfAddress(address: string): MailPreset | undefined {
  const domain = address.trim().toLowerCase().split('@')[1];
  return domain ? MAIL_PRESETS.find((p) => p.domains.includes(domain)) : undefined;
}

/** The preset whose servers an account uses, if any (for editing). */
export function presetOfAccount(a: MailAccount): string {
  const p = MAIL_PRESETS.find((x) => x.smtp.host === a.smtp.host && x[a.incoming.protocol].host === a.incoming.host);
  return p?.key ?? CUSTOM_PRESET;
}

export function defaultValues(account: MailAccount | null): AccountFormValues {
  if (!account) {
    return {
      name: '',
      address: '',
      preset: CUSTOM_PRESET,
      protocol: 'imap',
      incoming: { host: '', port: 993, security: 'tls' },
      smtp: { host: '', port: 465, security: 'tls' },
      username: '',
      deleteAfterFetch: false,
      markAsRead: false,
      fetchSince: dayjs().subtract(30, 'day'),
      allowSelfSignedCertificate: false,
      fetchIntervalMinutes: 10,
      isDefault: false,
      enabled: true,
    };
  }
  const { incoming, ...a } = account;
  return {
    name: a.name,
    address: a.address,
    displayName: a.displayName ?? undefined,
    preset: presetOfAccount(account),
    protocol: incoming.protocol,
    incoming: { host: incoming.host, port: incoming.port, security: incoming.security },
    smtp: a.smtp,
    username: a.username,
    deleteAfterFetch: a.deleteAfterFetch,
    markAsRead: a.markAsRead,
    fetchSince: dayjs(a.fetchSince),
    allowSelfSignedCertificate: a.allowSelfSignedCertificate,
    fetchIntervalMinutes: a.fetchIntervalMinutes,
    signature: a.signature ?? undefined,
    isDefault: a.isDefault,
    enabled: a.enabled,
  };
}

const orNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

/** The body of POST /mail/accounts (and of testing unsaved settings). */
export function createBody(v: AccountFormValues): CreateMailAccountBody {
  return {
    name: v.name.trim(),
    address: v.address.trim(),
    displayName: orNull(v.displayName),
    incoming: { protocol: v.protocol, host: v.incoming.host.trim(), port: v.incoming.port, security: v.incoming.security },
    smtp: { host: v.smtp.host.trim(), port: v.smtp.port, security: v.smtp.security },
    username: v.username.trim() || v.address.trim(),
    password: v.password ?? '',
    deleteAfterFetch: v.protocol === 'pop3' && v.deleteAfterFetch,
    markAsRead: v.protocol === 'imap' && v.markAsRead,
    fetchSince: v.fetchSince ? v.fetchSince.format('YYYY-MM-DD') : undefined,
    allowSelfSignedCertificate: v.allowSelfSignedCertificate,
    fetchIntervalMinutes: v.fetchIntervalMinutes,
    signature: orNull(v.signature),
    isDefault: v.isDefault,
    enabled: v.enabled,
  };
}

/** The body of PATCH /mail/accounts/:id: the password only when one was typed. */
export function updateBody(v: AccountFormValues, version: number): UpdateMailAccountBody {
  const { fetchSince: _since, password, ...rest } = createBody(v);
  return { ...rest, version, ...(password ? { password } : {}) };
}
