// IMAP through imapflow: TLS as the account says (a self-signed certificate trusted only when allowed),
// STARTTLS required for 'starttls' and never attempted for 'none', timeouts on every phase, no logging
// (imapflow's logger would print the session, credentials included at debug level).
import net from 'node:net';
import { ImapFlow } from 'imapflow';
import { classifyMailError, DEFAULT_MAIL_TIMEOUT_MS, type MailConnectOptions } from './errors';

/** imapflow options for an account (exported for tests). */
export function imapOptions(o: MailConnectOptions): ConstructorParameters<typeof ImapFlow>[0] {
  const timeoutMs = o.timeoutMs ?? DEFAULT_MAIL_TIMEOUT_MS;
  return {
    host: o.host,
    port: o.port,
    secure: o.security === 'tls',
    doSTARTTLS: o.security === 'tls' ? undefined : o.security === 'starttls',
    auth: { user: o.username, pass: o.password },
    tls: { rejectUnauthorized: !o.allowSelfSigned, servername: net.isIP(o.host) ? undefined : o.host },
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    // a silent server fails a command after timeoutMs; so does a session left without a command that long
    socketTimeout: timeoutMs,
    disableAutoIdle: true,
    // 163 / 126 refuse SELECT ("Unsafe Login") until the client identifies itself with ID
    clientInfo: { name: 'Xietong CRM', vendor: 'Xietong' },
  };
}

/**
 * Connects and logs in. Errors are MailProtocolErrors (wrong password → mail_auth_failed, untrusted
 * certificate → mail_tls_untrusted …). The caller logs out (`client.logout()`) or closes.
 */
export async function openImap(o: MailConnectOptions): Promise<ImapFlow> {
  const client = new ImapFlow(imapOptions(o));
  // an error after connect (socket reset while idle) must not become an uncaught exception
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.close();
    throw classifyMailError(err);
  }
}
