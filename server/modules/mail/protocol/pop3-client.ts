// A small RFC 1939 POP3 client that works on bytes: messages come back exactly as sent (8-bit GBK bodies
// untouched), dot-unstuffed, with the CRLF.CRLF terminator found across any chunk boundaries. node-pop3
// decodes as UTF-8, keeps the dot-stuffing and needs the terminator in one chunk (issue 5, known pitfalls).
import net from 'node:net';
import tls from 'node:tls';
import { classifyMailError, DEFAULT_MAIL_TIMEOUT_MS, type MailConnectOptions } from './errors';

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;

/** A reply the server refused with -ERR; classifyMailError reads `response` and `command`. */
class Pop3ReplyError extends Error {
  constructor(
    public response: string,
    public command: string,
  ) {
    super(`${command}: ${response}`);
  }
}

type Waiter = {
  command: string;
  multiline: boolean;
  resolve(r: { line: string; body: Buffer | null }): void;
  reject(err: Error): void;
};

/** Reads one reply (exported for the re-chunking tests): the status line, then for +OK multi-line replies the dot-stuffed body up to ".\r\n". */
export class Pop3ReplyReader {
  private lineParts: Buffer[] = [];
  private line: string | null = null;
  // body state: 0 in a line, 1 at a line start, 2 line start + '.', 3 line start + '.' + CR
  private state = 1;
  private out = Buffer.allocUnsafe(0);
  private outLen = 0;

  constructor(private multiline: boolean) {}

  /** Consumes bytes; returns the reply and the bytes after it once complete, else null. */
  feed(chunk: Buffer): { line: string; body: Buffer | null; rest: Buffer } | null {
    let data = chunk;
    if (this.line === null) {
      const nl = data.indexOf(LF);
      if (nl < 0) {
        this.lineParts.push(data);
        return null;
      }
      this.lineParts.push(data.subarray(0, nl));
      const raw = Buffer.concat(this.lineParts).toString('latin1');
      this.line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      data = data.subarray(nl + 1);
      if (!this.multiline || !this.line.startsWith('+OK')) return { line: this.line, body: null, rest: data };
      this.out = Buffer.allocUnsafe(64 * 1024);
    }
    const end = this.feedBody(data);
    if (end < 0) return null;
    return { line: this.line, body: this.out.subarray(0, this.outLen), rest: data.subarray(end) };
  }

  /** Copies body bytes without the stuffed dots; returns the index after the terminator, or -1. */
  private feedBody(data: Buffer): number {
    let i = 0;
    let seg = 0;
    while (i < data.length) {
      switch (this.state) {
        case 0: {
          const nl = data.indexOf(LF, i);
          if (nl < 0) i = data.length;
          else {
            i = nl + 1;
            this.state = 1;
          }
          break;
        }
        case 1:
          if (data[i] === DOT) {
            this.append(data, seg, i); // the dot at a line start is dropped: stuffing or terminator
            i++;
            seg = i;
            this.state = 2;
          } else this.state = 0;
          break;
        case 2:
          if (data[i] === CR) {
            this.append(data, seg, i); // hold the CR back until we know whether LF follows
            i++;
            seg = i;
            this.state = 3;
          } else {
            this.state = data[i] === LF ? 1 : 0;
            i++;
          }
          break;
        case 3:
          if (data[i] === LF) return i + 1; // ".\r\n": end of the reply
          this.append(Buffer.from([CR]), 0, 1);
          this.state = 0;
          break;
      }
    }
    this.append(data, seg, data.length);
    return -1;
  }

  private append(src: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.outLen + n > this.out.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.outLen + n));
      this.out.copy(grown, 0, 0, this.outLen);
      this.out = grown;
    }
    src.copy(this.out, this.outLen, from, to);
    this.outLen += n;
  }
}

/** POP3 client: connect() logs in; one command at a time (calls queue up). */
export class Pop3Client {
  private pending: Buffer = Buffer.alloc(0);
  private reader: Pop3ReplyReader | null = null;
  private waiter: Waiter | null = null;
  private failure: Error | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private socket: net.Socket,
    private timeoutMs: number,
  ) {
    this.attach(socket);
  }

  /** Connects (implicit TLS, or STLS when starttls), reads the greeting and logs in with USER/PASS. */
  static async connect(o: MailConnectOptions): Promise<Pop3Client> {
    const timeoutMs = o.timeoutMs ?? DEFAULT_MAIL_TIMEOUT_MS;
    let client: Pop3Client | null = null;
    try {
      if (/[\r\n]/.test(o.username + o.password)) {
        throw new Pop3ReplyError('-ERR line breaks in the user name or password', 'PASS');
      }
      const socket = await openSocket(o, timeoutMs);
      client = new Pop3Client(socket, timeoutMs);
      await client.expectGreeting();
      if (o.security === 'starttls') await client.startTls(o);
      await client.command('USER', `USER ${o.username}`);
      await client.command('PASS', `PASS ${o.password}`);
      return client;
    } catch (err) {
      client?.close();
      throw classifyMailError(err);
    }
  }

  /** Number of messages and their total size in bytes. */
  async stat(): Promise<{ count: number; size: number }> {
    const { line } = await this.run('STAT', 'STAT');
    const m = /^\+OK\s+(\d+)\s+(\d+)/.exec(line);
    if (!m) throw classifyMailError(new Error(`unexpected STAT reply: ${line}`));
    return { count: Number(m[1]), size: Number(m[2]) };
  }

  /** Message numbers with their unique ids, in server order. */
  async uidl(): Promise<{ num: number; uidl: string }[]> {
    const { body } = await this.run('UIDL', 'UIDL', true);
    const out: { num: number; uidl: string }[] = [];
    for (const row of body!.toString('latin1').split('\n')) {
      const m = /^\s*(\d+)\s+(\S+)/.exec(row);
      if (m) out.push({ num: Number(m[1]), uidl: m[2] });
    }
    return out;
  }

  /** The message's raw bytes, dot-unstuffed, never decoded as text. */
  async retr(num: number): Promise<Buffer> {
    const { body } = await this.run('RETR', `RETR ${num}`, true);
    return body!;
  }

  /** Marks a message deleted; the server removes it only at QUIT. */
  async dele(num: number): Promise<void> {
    await this.run('DELE', `DELE ${num}`);
  }

  /** Ends the session, committing DELEs. */
  async quit(): Promise<void> {
    try {
      await this.run('QUIT', 'QUIT');
    } finally {
      this.socket.end();
      this.failure ??= new Error('POP3 session ended');
    }
  }

  /** Drops the connection without QUIT: DELEs are not committed. */
  close(): void {
    this.failure ??= new Error('POP3 connection closed');
    this.socket.destroy();
  }

  private run(name: string, line: string, multiline = false): Promise<{ line: string; body: Buffer | null }> {
    const next = this.queue.then(() => this.command(name, line, multiline));
    this.queue = next.catch(() => undefined);
    return next.catch((err: unknown) => {
      throw classifyMailError(err);
    });
  }

  private attach(socket: net.Socket): void {
    socket.setTimeout(this.timeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('timeout', () => {
      const err = Object.assign(new Error(`POP3 server did not answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' });
      this.fail(err);
      socket.destroy();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(Object.assign(new Error('POP3 connection closed by the server'), { code: 'ECONNRESET' })));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiter;
    this.waiter = null;
    this.reader = null;
    w?.reject(this.failure);
  }

  private onData(chunk: Buffer): void {
    if (!this.reader) {
      this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      return;
    }
    const done = this.reader.feed(chunk);
    if (!done) return;
    const w = this.waiter!;
    this.reader = null;
    this.waiter = null;
    this.pending = done.rest;
    if (done.line.startsWith('+OK')) w.resolve({ line: done.line, body: done.body });
    else w.reject(new Pop3ReplyError(done.line, w.command));
  }

  /** Sends a command (none for the greeting) and waits for its reply. */
  private command(name: string, line: string | null, multiline = false): Promise<{ line: string; body: Buffer | null }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { command: name, multiline, resolve, reject };
      this.reader = new Pop3ReplyReader(multiline);
      if (line !== null) this.socket.write(`${line}\r\n`);
      if (this.pending.length) {
        const buffered = this.pending;
        this.pending = Buffer.alloc(0);
        this.onData(buffered);
      }
    });
  }

  private expectGreeting(): Promise<{ line: string; body: Buffer | null }> {
    return this.command('greeting', null);
  }

  /** STLS, then TLS over the same socket; bytes the server sent before the handshake are discarded. */
  private async startTls(o: MailConnectOptions): Promise<void> {
    await this.command('STLS', 'STLS');
    this.pending = Buffer.alloc(0);
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('timeout');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    plain.on('error', () => undefined); // the TLS socket reports it
    plain.setTimeout(0);
    const secure = tls.connect({ ...tlsOptions(o), socket: plain });
    this.socket = secure;
    this.attach(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
      secure.once('timeout', () => reject(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' })));
    });
  }
}

function tlsOptions(o: MailConnectOptions): tls.ConnectionOptions {
  return {
    host: o.host,
    servername: net.isIP(o.host) ? undefined : o.host,
    rejectUnauthorized: !o.allowSelfSigned,
  };
}

function openSocket(o: MailConnectOptions, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = o.security === 'tls' ? tls.connect({ ...tlsOptions(o), port: o.port }) : net.connect({ host: o.host, port: o.port });
    const ready = o.security === 'tls' ? 'secureConnect' : 'connect';
    socket.setTimeout(timeoutMs);
    const cleanup = () => {
      socket.removeListener('error', onError);
      socket.removeListener('timeout', onTimeout);
    };
    const onError = (err: Error) => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onTimeout = () => {
      onError(Object.assign(new Error(`connecting to ${o.host}:${o.port} timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    };
    socket.once('error', onError);
    socket.once('timeout', onTimeout);
    socket.once(ready, () => {
      cleanup();
      resolve(socket);
    });
  });
}
