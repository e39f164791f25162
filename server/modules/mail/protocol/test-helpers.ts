// Helpers for the protocol tests (not used by the application).
import net from 'node:net';

/** A small seeded PRNG (mulberry32), so a failing re-chunking is reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits bytes into pieces of 1..max bytes. */
export function pieces(data: Buffer, random: () => number, max = 8): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length;) {
    const n = 1 + Math.floor(random() * max);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** POP3 wire form of a message: dot-stuffed, then the ".\r\n" terminator line. */
export function dotStuff(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/(^|\r\n)\./g, '$1..');
  return Buffer.concat([Buffer.from(text, 'latin1'), Buffer.from('.\r\n')]);
}

/** A TCP server on loopback; `close()` also drops open connections. */
export async function tcpServer(onConnection: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = await tcpServer(() => undefined);
  await s.close();
  return s.port;
}

/**
 * A proxy to host:port that forwards the server's bytes in 1..max byte pieces, yielding between them
 * so they arrive as separate reads.
 */
export async function rechunkingProxy(host: string, port: number, seed: number, max = 8) {
  const random = prng(seed);
  return tcpServer((client) => {
    const upstream = net.connect(port, host);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.on('data', (d) => upstream.write(d));
    let queue = Promise.resolve();
    upstream.on('close', () => void queue.then(() => client.end()));
    upstream.on('data', (d: Buffer) => {
      upstream.pause();
      queue = queue.then(async () => {
        for (const p of pieces(d, random, max)) {
          if (client.destroyed) return;
          client.write(p);
          await new Promise((r) => setImmediate(r));
        }
        upstream.resume();
      });
    });
    client.setNoDelay(true);
  });
}
