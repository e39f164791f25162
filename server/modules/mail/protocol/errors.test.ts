import { describe, expect, it } from 'vitest';
import { classifyMailError, MailProtocolError, type MailErrorCode } from './errors';

const withProps = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), props);

// errors shaped as our POP3 client, imapflow, nodemailer and node's net/tls raise them
const cases: { name: string; err: unknown; code: MailErrorCode; reply: string | null }[] = [
  {
    name: 'Dovecot POP3 wrong password',
    err: withProps('PASS: -ERR [AUTH] Authentication failed.', { response: '-ERR [AUTH] Authentication failed.', command: 'PASS' }),
    code: 'mail_auth_failed',
    reply: '-ERR [AUTH] Authentication failed.',
  },
  {
    name: 'POP3 server refusing USER',
    err: withProps('USER: -ERR unknown user', { response: '-ERR unknown user', command: 'USER' }),
    code: 'mail_auth_failed',
    reply: '-ERR unknown user',
  },
  {
    name: 'IMAP NO [AUTHENTICATIONFAILED] (imapflow)',
    err: withProps('Command failed', {
      authenticationFailed: true,
      serverResponseCode: 'AUTHENTICATIONFAILED',
      response: '3 NO [AUTHENTICATIONFAILED] Authentication failed.',
    }),
    code: 'mail_auth_failed',
    reply: 'NO [AUTHENTICATIONFAILED] Authentication failed.',
  },
  {
    name: 'IMAP failure with responseText only',
    err: withProps('Command failed', { authenticationFailed: true, responseStatus: 'NO', responseText: 'LOGIN failed.' }),
    code: 'mail_auth_failed',
    reply: 'NO LOGIN failed.',
  },
  {
    name: 'SMTP 535 (nodemailer)',
    err: withProps('Invalid login: 535 Error: authentication failed', {
      code: 'EAUTH',
      response: '535 Error: authentication failed',
      responseCode: 535,
    }),
    code: 'mail_auth_failed',
    reply: '535 Error: authentication failed',
  },
  {
    name: 'QQ SMTP asking for the authorisation code',
    err: withProps('Invalid login', {
      code: 'EAUTH',
      response:
        '535 Login Fail. Please enter your authorization code to login. More information in http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256',
      responseCode: 535,
    }),
    code: 'mail_service_disabled',
    reply:
      '535 Login Fail. Please enter your authorization code to login. More information in http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256',
  },
  {
    name: '163 IMAP unsafe login',
    err: withProps('Command failed', {
      authenticationFailed: true,
      responseStatus: 'NO',
      responseText: 'Unsafe Login. Please contact kefu@188.com for help',
    }),
    code: 'mail_service_disabled',
    reply: 'NO Unsafe Login. Please contact kefu@188.com for help',
  },
  {
    name: 'SMTP not enabled (163: 550 User has no permission)',
    err: withProps('Mail command failed', { code: 'EENVELOPE', response: '550 User has no permission', responseCode: 550 }),
    code: 'mail_service_disabled',
    reply: '550 User has no permission',
  },
  {
    name: 'POP3 service not open (Chinese wording)',
    err: withProps('PASS', { response: '-ERR 您的POP3服务未开启', command: 'PASS' }),
    code: 'mail_service_disabled',
    reply: '-ERR 您的POP3服务未开启',
  },
  {
    name: 'self-signed certificate',
    err: withProps('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    code: 'mail_tls_untrusted',
    reply: null,
  },
  {
    name: 'self-signed in chain, wrapped by nodemailer (ESOCKET)',
    err: withProps('self-signed certificate in certificate chain', { code: 'ESOCKET' }),
    code: 'mail_tls_untrusted',
    reply: null,
  },
  {
    name: 'unknown issuer',
    err: withProps('unable to verify the first certificate', { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
    code: 'mail_tls_untrusted',
    reply: null,
  },
  { name: 'expired', err: withProps('certificate has expired', { code: 'CERT_HAS_EXPIRED' }), code: 'mail_tls_untrusted', reply: null },
  {
    name: 'hostname mismatch',
    err: withProps("Hostname/IP does not match certificate's altnames: Host: imap.qq.com. is not in the cert's altnames: DNS:x", {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    }),
    code: 'mail_tls_untrusted',
    reply: null,
  },
  { name: 'ETIMEDOUT', err: withProps('connect ETIMEDOUT 1.2.3.4:993', { code: 'ETIMEDOUT' }), code: 'mail_timeout', reply: null },
  {
    name: 'imapflow greeting timeout',
    err: withProps('Failed to receive greeting from server in required time', { code: 'GREETING_TIMEOUT' }),
    code: 'mail_timeout',
    reply: null,
  },
  { name: 'imapflow socket timeout', err: withProps('Socket timeout', { code: 'ETIMEOUT' }), code: 'mail_timeout', reply: null },
  {
    name: 'nodemailer greeting timeout',
    err: withProps('Greeting never received', { code: 'ETIMEDOUT' }),
    code: 'mail_timeout',
    reply: null,
  },
  {
    name: 'ECONNREFUSED',
    err: withProps('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }),
    code: 'mail_connect_failed',
    reply: null,
  },
  {
    name: 'ENOTFOUND inside an AggregateError',
    err: new AggregateError([withProps('getaddrinfo ENOTFOUND pop.nowhere.test', { code: 'ENOTFOUND' })], 'failed'),
    code: 'mail_connect_failed',
    reply: null,
  },
  { name: 'a plain string', err: 'boom', code: 'mail_connect_failed', reply: null },
  {
    name: 'POP3 mailbox locked on PASS is not a wrong password',
    err: withProps('PASS', { response: '-ERR [IN-USE] Mailbox locked', command: 'PASS' }),
    code: 'mail_connect_failed',
    reply: '-ERR [IN-USE] Mailbox locked',
  },
];

describe('classifyMailError', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.code}`, () => {
      const e = classifyMailError(c.err);
      expect(e).toBeInstanceOf(MailProtocolError);
      expect([e.code, e.serverReply]).toEqual([c.code, c.reply]);
      expect(e.message).toBeTruthy();
    });
  }

  it('passes a MailProtocolError through unchanged, and finds the cause of a wrapped error', () => {
    const own = new MailProtocolError('mail_timeout', 'slow', null);
    expect(classifyMailError(own)).toBe(own);
    const wrapped = new Error('sending failed', { cause: withProps('x', { code: 'CERT_HAS_EXPIRED' }) });
    expect(classifyMailError(wrapped).code).toBe('mail_tls_untrusted');
  });
});
