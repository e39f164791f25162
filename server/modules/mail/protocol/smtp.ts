// SMTP through nodemailer: implicit TLS for 'tls', STARTTLS required for 'starttls', none for 'none';
// a self-signed certificate trusted only when the account allows it; timeouts on every phase.
import net from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { DEFAULT_MAIL_TIMEOUT_MS, type MailConnectOptions } from './errors';

/** nodemailer transport options for an account (exported for tests). */
export function smtpOptions(o: MailConnectOptions): SMTPTransport.Options {
  const timeoutMs = o.timeoutMs ?? DEFAULT_MAIL_TIMEOUT_MS;
  return {
    host: o.host,
    port: o.port,
    secure: o.security === 'tls',
    requireTLS: o.security === 'starttls',
    ignoreTLS: o.security === 'none',
    auth: { user: o.username, pass: o.password },
    tls: { rejectUnauthorized: !o.allowSelfSigned, servername: net.isIP(o.host) ? undefined : o.host },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    // inactivity (either direction), not the whole transfer of a large attachment
    socketTimeout: timeoutMs,
    logger: false,
    debug: false,
  };
}

/**
 * A transport for one account: `verify()` logs in (the connection test), `sendMail()` sends. Their
 * rejections are nodemailer errors: pass them through classifyMailError for a MailProtocolError.
 */
export function smtpTransport(o: MailConnectOptions): Transporter<SMTPTransport.SentMessageInfo> {
  return nodemailer.createTransport(smtpOptions(o));
}
