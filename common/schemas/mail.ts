import { z } from 'zod';
import { emailSchema, idSchema, passwordSchema } from './fields';

/**
 * 外部邮箱: mail accounts, messages, sending, group sending (群发) and the system mail account —
 * shapes shared by server (server/modules/mail) and web (web/src/features/mail).
 */

export const MAIL_SECURITY = ['tls', 'starttls', 'none'] as const;
export type MailSecurity = (typeof MAIL_SECURITY)[number];
export const INCOMING_PROTOCOLS = ['pop3', 'imap'] as const;
export type IncomingProtocol = (typeof INCOMING_PROTOCOLS)[number];

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:.]+\]?$/, 'validation.invalid_format');
const port = z.number().int().min(1).max(65535);
const endpoint = z.strictObject({ host, port, security: z.enum(MAIL_SECURITY) });
export type MailEndpoint = z.infer<typeof endpoint>;
const incoming = endpoint.extend({ protocol: z.enum(INCOMING_PROTOCOLS) });
const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date');

/**
 * The stylesheet of a message body's frame (the server's body page and the web's quote preview):
 * readable defaults, images fit the width, blocked remote images show as placeholders.
 */
export const MAIL_FRAME_STYLE = `
html,body{margin:0;padding:0}
body{font:14px/1.6 -apple-system,BlinkMacSystemFont,'PingFang SC','Microsoft YaHei','Segoe UI',sans-serif;color:#1f1f1f;overflow-wrap:anywhere}
img{max-width:100%;height:auto}
img[data-blocked-src]{display:inline-block;min-width:24px;min-height:24px;background:#f5f5f5;outline:1px dashed #d9d9d9}
blockquote{margin:0 0 0 .8ex;border-left:2px solid #d9d9d9;padding-left:1ex;color:#595959}
pre{white-space:pre-wrap}
table{max-width:100%}
`;

/** POST /mail/accounts */
export const createMailAccountBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  address: emailSchema,
  displayName: z.string().trim().max(100).nullable().optional(),
  incoming,
  smtp: endpoint,
  username: z.string().trim().min(1).max(200),
  /** password or the authorisation code (授权码) QQ / 163 / 126 require */
  password: z.string().min(1).max(500),
  /** POP3: delete from the server once stored here */
  deleteAfterFetch: z.boolean().default(false),
  /** IMAP: mark as read on the server once stored here */
  markAsRead: z.boolean().default(false),
  /** a new account takes mail from this date on; default: 30 days ago */
  fetchSince: dateOnly.optional(),
  allowSelfSignedCertificate: z.boolean().default(false),
  fetchIntervalMinutes: z.number().int().min(1).max(1440).default(10),
  signature: z.string().max(20000).nullable().optional(),
  isDefault: z.boolean().default(false),
  enabled: z.boolean().default(true),
});
export type CreateMailAccountBody = z.infer<typeof createMailAccountBody>;

/**
 * PATCH /mail/accounts/:id — password only when it changes. Absent keys stay as they are (no defaults
 * here: `.partial()` would keep createMailAccountBody's and reset markAsRead, isDefault, enabled …).
 */
const accountShape = createMailAccountBody.shape;
export const updateMailAccountBody = z.strictObject({
  name: accountShape.name.optional(),
  address: accountShape.address.optional(),
  displayName: accountShape.displayName,
  incoming: incoming.optional(),
  smtp: endpoint.optional(),
  username: accountShape.username.optional(),
  password: z.string().min(1).max(500).optional(),
  deleteAfterFetch: z.boolean().optional(),
  markAsRead: z.boolean().optional(),
  allowSelfSignedCertificate: z.boolean().optional(),
  fetchIntervalMinutes: z.number().int().min(1).max(1440).optional(),
  signature: accountShape.signature,
  isDefault: z.boolean().optional(),
  enabled: z.boolean().optional(),
  version: z.number().int().min(1),
});
export type UpdateMailAccountBody = z.infer<typeof updateMailAccountBody>;

/** As returned: never the password. */
export type MailAccount = {
  id: string;
  name: string;
  address: string;
  displayName: string | null;
  incoming: MailEndpoint & { protocol: IncomingProtocol };
  smtp: MailEndpoint;
  username: string;
  deleteAfterFetch: boolean;
  markAsRead: boolean;
  fetchSince: string;
  allowSelfSignedCertificate: boolean;
  fetchIntervalMinutes: number;
  signature: string | null;
  isDefault: boolean;
  enabled: boolean;
  lastFetchAt: string | null;
  nextFetchAt: string | null;
  /** the last failure in the owner's words; null after a successful run */
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorAt: string | null;
  version: number;
};

/** Presets (QQ, 163, 126, Aliyun, Tencent Exmail): the web fills the servers from these. */
export type MailPreset = { key: string; domains: string[]; imap: MailEndpoint; pop3: MailEndpoint; smtp: MailEndpoint };
export const MAIL_PRESETS: readonly MailPreset[] = [
  {
    key: 'qq',
    domains: ['qq.com', 'foxmail.com'],
    imap: { host: 'imap.qq.com', port: 993, security: 'tls' },
    pop3: { host: 'pop.qq.com', port: 995, security: 'tls' },
    smtp: { host: 'smtp.qq.com', port: 465, security: 'tls' },
  },
  {
    key: '163',
    domains: ['163.com'],
    imap: { host: 'imap.163.com', port: 993, security: 'tls' },
    pop3: { host: 'pop.163.com', port: 995, security: 'tls' },
    smtp: { host: 'smtp.163.com', port: 465, security: 'tls' },
  },
  {
    key: '126',
    domains: ['126.com'],
    imap: { host: 'imap.126.com', port: 993, security: 'tls' },
    pop3: { host: 'pop.126.com', port: 995, security: 'tls' },
    smtp: { host: 'smtp.126.com', port: 465, security: 'tls' },
  },
  {
    key: 'aliyun',
    domains: ['aliyun.com'],
    imap: { host: 'imap.aliyun.com', port: 993, security: 'tls' },
    pop3: { host: 'pop3.aliyun.com', port: 995, security: 'tls' },
    smtp: { host: 'smtp.aliyun.com', port: 465, security: 'tls' },
  },
  {
    key: 'exmail',
    domains: [],
    imap: { host: 'imap.exmail.qq.com', port: 993, security: 'tls' },
    pop3: { host: 'pop.exmail.qq.com', port: 995, security: 'tls' },
    smtp: { host: 'smtp.exmail.qq.com', port: 465, security: 'tls' },
  },
];

/** POST /mail/accounts/:id/test (and /mail/accounts/test with an unsaved body): each side's outcome in plain words */
export type MailTestSide = { ok: boolean; code: string | null; message: string; serverReply: string | null };
export type MailTestResult = { incoming: MailTestSide; smtp: MailTestSide };

/** POST /mail/accounts/:id/fetch — answers when the run has finished */
export type MailFetchResult = { fetched: number; skipped: number; deleted: number; errors: number; durationMs: number };

// ---------------------------------------------------------------- messages

export const MAIL_FOLDERS = ['inbox', 'sent', 'drafts', 'trash'] as const;
export type MailFolder = (typeof MAIL_FOLDERS)[number];

export type MailAddress = { name: string | null; address: string };
const addressSchema = z.strictObject({ name: z.string().trim().max(200).nullable().optional(), address: emailSchema });

export const messageListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  accountId: idSchema.optional(),
  folder: z.enum(MAIL_FOLDERS).default('inbox'),
  unread: z.coerce.boolean().optional(),
  /** mail linked to this customer (its timeline), within the reader's scope */
  customerId: idSchema.optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type MessageListQuery = z.infer<typeof messageListQuery>;

export type MailListItem = {
  id: string;
  accountId: string;
  folder: MailFolder;
  subject: string;
  from: MailAddress | null;
  to: MailAddress[];
  snippet: string;
  date: string;
  seen: boolean;
  starred: boolean;
  hasAttachments: boolean;
  sendStatus: 'draft' | 'sending' | 'sent' | 'failed' | null;
  /** customers this mail is linked to (names only where the reader may see them) */
  customers: { id: string; name: string }[];
};

export type MailAttachmentInfo = { id: string; fileId: string; name: string; mime: string; size: number; inline: boolean };

/** GET /mail/messages/:id?images=1 — html sanitised; remote images replaced unless images=1 */
export type MailMessage = MailListItem & {
  cc: MailAddress[];
  bcc: MailAddress[];
  messageId: string | null;
  inReplyTo: string | null;
  html: string | null;
  text: string | null;
  /** true when remote images were blocked in `html` */
  remoteImagesBlocked: boolean;
  attachments: MailAttachmentInfo[];
  sendError: string | null;
  version: number;
};

/** POST /mail/messages (send now) and POST /mail/drafts / PATCH /mail/drafts/:id (save draft) */
export const composeBody = z.strictObject({
  accountId: idSchema,
  to: z.array(addressSchema).max(100).default([]),
  cc: z.array(addressSchema).max(100).default([]),
  bcc: z.array(addressSchema).max(100).default([]),
  subject: z.string().max(500).default(''),
  html: z.string().max(2_000_000).default(''),
  /** uploaded file ids (POST /files) and attachments of the mail being forwarded */
  attachments: z.array(idSchema).max(20).default([]),
  /** reply / forward: the original message */
  replyToId: idSchema.nullable().optional(),
  forwardOfId: idSchema.nullable().optional(),
  /** send a saved draft: it leaves the drafts folder */
  draftId: idSchema.nullable().optional(),
});
export type ComposeBody = z.infer<typeof composeBody>;

export const updateDraftBody = composeBody.extend({ version: z.number().int().min(1) });

export const messageFlagsBody = z.strictObject({
  seen: z.boolean().optional(),
  starred: z.boolean().optional(),
  folder: z.enum(['inbox', 'trash']).optional(),
});

// ---------------------------------------------------------------- group sending (群发)

/** merge fields usable as {{key}} in subject and body */
export const MERGE_FIELDS = ['salutation', 'contactName', 'companyName', 'title', 'senderName'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export const createBatchBody = z.strictObject({
  accountId: idSchema,
  /** contacts chosen directly, and/or customers whose contacts with an email all receive it */
  contactIds: z.array(idSchema).max(2000).default([]),
  customerIds: z.array(idSchema).max(2000).default([]),
  subject: z.string().trim().min(1).max(500),
  html: z.string().min(1).max(2_000_000),
  attachments: z.array(idSchema).max(20).default([]),
  batchSize: z.number().int().min(1).max(10).default(10),
  pauseSeconds: z.number().int().min(0).max(3600).default(30),
});
export type CreateBatchBody = z.infer<typeof createBatchBody>;

export type MailBatch = {
  id: string;
  accountId: string;
  subject: string;
  status: 'queued' | 'running' | 'done' | 'cancelled';
  total: number;
  sent: number;
  failed: number;
  batchSize: number;
  pauseSeconds: number;
  createdAt: string;
  finishedAt: string | null;
};
export type MailBatchRecipient = {
  id: string;
  address: string;
  name: string | null;
  customerId: string | null;
  contactId: string | null;
  status: 'pending' | 'sent' | 'failed';
  error: string | null;
  sentAt: string | null;
};

// ---------------------------------------------------------------- system mail, invitations, password reset

/** PUT /system/mail (admins): the system account that sends notices, invitations and password resets */
export const systemMailBody = z.strictObject({
  enabled: z.boolean(),
  fromAddress: emailSchema,
  fromName: z.string().trim().max(100).nullable().optional(),
  smtp: endpoint,
  username: z.string().trim().max(200).nullable().optional(),
  /** omitted: keep the stored one */
  password: z.string().min(1).max(500).optional(),
  allowSelfSignedCertificate: z.boolean().default(false),
  /** the address users open links at, e.g. https://crm.example.com (invitations, resets) */
  publicUrl: z.string().url().max(300),
  /** also mail every in-app notification to its recipients that have an email address */
  notifyByMail: z.boolean().default(false),
});
export type SystemMailSettings = Omit<z.infer<typeof systemMailBody>, 'password'> & { hasPassword: boolean };

/** POST /users/:id/invite (admins): mails a one-time link to set the password (72 hours) */
export const INVITE_HOURS = 72;
/** reset links live shorter */
export const RESET_HOURS = 2;
/** POST /auth/forgot-password — answers the same for unknown addresses */
export const forgotPasswordBody = z.strictObject({ email: emailSchema });
/** POST /auth/set-password — with the token from an invitation or reset link */
export const setPasswordBody = z.strictObject({ token: z.string().min(20).max(200), password: passwordSchema });
