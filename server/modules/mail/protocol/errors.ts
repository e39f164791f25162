// One error type for every mail protocol client (POP3, IMAP, SMTP): a code the user can act on and the
// server's own words when it said something.

/** Connection options every client takes. */
export type MailConnectOptions = {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username: string;
  password: string;
  /** trust any certificate (self-signed, expired, other host): only when the account says so */
  allowSelfSigned: boolean;
  /** inactivity limit for connecting, the greeting and every reply; default 30 s */
  timeoutMs?: number;
};

export const DEFAULT_MAIL_TIMEOUT_MS = 30_000;

export type MailErrorCode = 'mail_auth_failed' | 'mail_connect_failed' | 'mail_tls_untrusted' | 'mail_timeout' | 'mail_service_disabled';

export class MailProtocolError extends Error {
  override name = 'MailProtocolError';
  constructor(
    public code: MailErrorCode,
    message: string,
    /** the server's own reply line when there was one (e.g. `-ERR [AUTH] Authentication failed.`) */
    public serverReply: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// QQ / 163 / 126 / Exmail / Gmail wording when POP3/IMAP/SMTP is switched off in the mailbox's settings or
// an authorisation code (授权码) is required instead of the password
const SERVICE_DISABLED = [
  /service (is )?(not open|not opened|not enabled|disabled|closed|not available for this account)/i,
  /(pop3?|imap4?|smtp)\b[^\n]{0,40}\b(not open|not enabled|disabled|closed)/i,
  /authori[sz](ation|ed) code/i,
  /(application|app)[- ]specific password/i,
  /Unsafe Login/i,
  /User has no permission/i,
  /web login required/i,
  /授权码|未开启|未开通|没有开启|未启用|服务已关闭/,
];

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TLS_WORDING =
  /self[- ]signed certificate|certificate has expired|certificate is not yet valid|unable to verify the first certificate|unable to get (local )?issuer certificate|does not match certificate's altnames|certificate chain too long|certificate (not trusted|rejected|signature failure)/i;

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

type Loose = {
  message?: unknown;
  code?: unknown;
  response?: unknown;
  responseCode?: unknown;
  responseText?: unknown;
  responseStatus?: unknown;
  serverResponseCode?: unknown;
  authenticationFailed?: unknown;
  command?: unknown;
  cause?: unknown;
  _err?: unknown;
  errors?: unknown;
};

/** The error and the errors it wraps (cause, imapflow's _err, AggregateError members), outermost first. */
function chain(err: unknown): Loose[] {
  const out: Loose[] = [];
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 4 || out.includes(e as Loose)) return;
    const l = e as Loose;
    out.push(l);
    visit(l.cause, depth + 1);
    visit(l._err, depth + 1);
    if (Array.isArray(l.errors)) for (const x of l.errors) visit(x, depth + 1);
  };
  visit(err, 0);
  return out;
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The server's own line: POP3 `-ERR …`, SMTP `535 …`, IMAP `NO [CODE] text`. */
function serverReplyOf(errs: Loose[]): string | null {
  for (const e of errs) {
    const response = str(e.response);
    // imapflow's tagged line: "2 NO [AUTHENTICATIONFAILED] …" — the tag means nothing to a user
    if (response) return response.replace(/^[A-Za-z0-9.]+ (?=(OK|NO|BAD)\b)/, '');
    const text = str(e.responseText);
    if (text) {
      const status = str(e.responseStatus);
      const code = str(e.serverResponseCode);
      return [status, code ? `[${code}]` : null, text].filter(Boolean).join(' ');
    }
  }
  return null;
}

/**
 * Wraps any client error (our POP3 client, imapflow, nodemailer, node's net/tls) into a MailProtocolError
 * whose code says what the user can do about it.
 */
export function classifyMailError(err: unknown): MailProtocolError {
  if (err instanceof MailProtocolError) return err;
  const errs = chain(err);
  const reply = serverReplyOf(errs);
  const codes = errs.map((e) => (typeof e.code === 'string' ? e.code : '')).filter(Boolean);
  const messages = errs.map((e) => (typeof e.message === 'string' ? e.message : '')).filter(Boolean);
  const words = [reply ?? '', ...messages].join('\n');
  const message = reply ?? messages[0] ?? String(err);
  const make = (code: MailErrorCode) => new MailProtocolError(code, message, reply, { cause: err });

  const authFailed = errs.some(
    (e) =>
      e.authenticationFailed === true ||
      e.serverResponseCode === 'AUTHENTICATIONFAILED' ||
      e.code === 'EAUTH' ||
      e.responseCode === 535 ||
      // a POP3 login refused, unless for a reason that is not the credentials (mailbox locked, server trouble)
      (typeof e.response === 'string' &&
        /^-ERR\b/.test(e.response) &&
        (e.command === 'PASS' || e.command === 'USER') &&
        !/^-ERR \[(IN-USE|SYS\/\w+)\]/.test(e.response)) ||
      (typeof e.response === 'string' && /^-ERR \[AUTH\]/.test(e.response)),
  );
  // the wording beats the status: QQ answers a missing authorisation code with a plain 535 / -ERR
  if (reply && SERVICE_DISABLED.some((re) => re.test(reply))) return make('mail_service_disabled');
  if (authFailed && SERVICE_DISABLED.some((re) => re.test(words))) return make('mail_service_disabled');
  if (authFailed) return make('mail_auth_failed');
  if (codes.some((c) => TLS_CODES.has(c)) || TLS_WORDING.test(words)) return make('mail_tls_untrusted');
  if (codes.some((c) => TIMEOUT_CODES.has(c)) || /timed? ?out\b/i.test(messages.join('\n'))) return make('mail_timeout');
  return make('mail_connect_failed');
}
