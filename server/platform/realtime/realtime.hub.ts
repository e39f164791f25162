import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { WebSocket } from 'ws';
import type { Db } from '@server/db/types';
import { nowIso } from '@server/db/ids';

/** What the server sends on the socket: JSON `{ type, data }`. */
export type RealtimeEvent = { type: string; data?: unknown };

/** Fan-out message between instances (Redis) or within one (no Redis). */
type Envelope =
  | { op: 'publish'; userId: string; event: RealtimeEvent }
  | { op: 'disconnect_user'; userId: string }
  | { op: 'disconnect_session'; sessionId: string };

type Conn = { socket: WebSocket; userId: string; sessionId?: string; alive: boolean };

type Logger = { error(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };

export type RealtimeOptions = {
  db: Db;
  /** with Redis, every instance delivers what any instance publishes */
  redisUrl?: string;
  /** Redis channel (one per deployment sharing a Redis server) */
  channel?: string;
  /** ping interval; a socket that missed the previous pong is dropped (ms, default 30 s) */
  heartbeatMs?: number;
  log?: Logger;
};

const SESSION_ENDED: RealtimeEvent = { type: 'session_ended' };
/** close code sent with session_ended: the client should not reconnect until it signs in again */
export const CLOSE_SESSION_ENDED = 4001;

/**
 * Every open WebSocket of every signed-in user (all tabs) in this process. Publishing goes
 * through Redis pub/sub when REDIS_URL is set, so a user connected to another instance still
 * gets the event; without Redis it is delivered in-process.
 */
export class RealtimeHub {
  private readonly byUser = new Map<string, Set<Conn>>();
  private readonly pub?: Redis;
  private readonly sub?: Redis;
  private readonly channel: string;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly log: Logger;
  /** resolves once this instance listens on Redis (at once without Redis) */
  readonly ready: Promise<void>;

  constructor(private readonly opts: RealtimeOptions) {
    this.log = opts.log ?? { error: () => {}, warn: () => {} };
    this.channel = opts.channel ?? 'xietong:realtime';
    if (opts.redisUrl) {
      // loaded only with REDIS_URL: ioredis costs every single-instance start tens of milliseconds
      const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
      this.pub = new RedisClient(opts.redisUrl, { lazyConnect: false });
      this.sub = new RedisClient(opts.redisUrl, { lazyConnect: false });
      for (const r of [this.pub, this.sub]) r.on('error', (err: Error) => this.log.warn({ err: err.message }, 'realtime redis error'));
      this.sub.on('message', (_channel: string, raw: string) => this.receive(raw));
      this.ready = this.sub.subscribe(this.channel).then(
        () => undefined,
        (err: unknown) => this.log.error({ err }, 'realtime could not subscribe to redis'),
      );
    } else {
      this.ready = Promise.resolve();
    }
    this.heartbeat = setInterval(() => void this.beat(), opts.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /** Keeps a freshly opened socket of a signed-in user. */
  add(socket: WebSocket, who: { userId: string; sessionId?: string }): void {
    const conn: Conn = { socket, userId: who.userId, sessionId: who.sessionId, alive: true };
    let set = this.byUser.get(who.userId);
    if (!set) this.byUser.set(who.userId, (set = new Set()));
    set.add(conn);
    socket.on('pong', () => (conn.alive = true));
    socket.on('close', () => this.remove(conn));
    socket.on('error', () => socket.terminate());
    // the client has nothing to say yet; anything it sends is ignored
    socket.on('message', () => {});
  }

  /** Open sockets in this process (of one user, or all). */
  connectionCount(userId?: string): number {
    if (userId) return this.byUser.get(userId)?.size ?? 0;
    let n = 0;
    for (const s of this.byUser.values()) n += s.size;
    return n;
  }

  /** Sends `event` to every open tab of the user, on every instance. */
  publish(userId: string, event: RealtimeEvent): Promise<void> {
    return this.send({ op: 'publish', userId, event });
  }

  /** Tells every socket of the user that the session ended, then closes them (user disabled or left). */
  disconnectUser(userId: string): Promise<void> {
    return this.send({ op: 'disconnect_user', userId });
  }

  /** Same for the sockets opened with one session (logout, session revoked). `sessionId` is sessions.id. */
  disconnectSession(sessionId: string): Promise<void> {
    return this.send({ op: 'disconnect_session', sessionId });
  }

  /** Closes every socket and the Redis connections. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const set of this.byUser.values()) for (const c of set) c.socket.close(1001);
    this.byUser.clear();
    const clients = [this.pub, this.sub].filter((r): r is Redis => r !== undefined);
    await Promise.all(
      clients.map((r) =>
        r.quit().then(
          () => undefined,
          () => r.disconnect(),
        ),
      ),
    );
  }

  private async send(msg: Envelope): Promise<void> {
    if (!this.pub) return this.deliver(msg);
    try {
      // our own subscription delivers it here too
      await this.pub.publish(this.channel, JSON.stringify(msg));
    } catch (err) {
      this.log.error({ err }, 'realtime publish through redis failed; delivering locally only');
      this.deliver(msg);
    }
  }

  private receive(raw: string): void {
    try {
      this.deliver(JSON.parse(raw) as Envelope);
    } catch (err) {
      this.log.warn({ err }, 'realtime: bad message on channel');
    }
  }

  private deliver(msg: Envelope): void {
    switch (msg.op) {
      case 'publish': {
        const text = JSON.stringify(msg.event);
        for (const c of this.byUser.get(msg.userId) ?? []) if (c.socket.readyState === c.socket.OPEN) c.socket.send(text);
        return;
      }
      case 'disconnect_user':
        for (const c of [...(this.byUser.get(msg.userId) ?? [])]) this.end(c);
        return;
      case 'disconnect_session':
        for (const set of this.byUser.values()) for (const c of [...set]) if (c.sessionId === msg.sessionId) this.end(c);
        return;
    }
  }

  private end(conn: Conn): void {
    this.remove(conn);
    if (conn.socket.readyState === conn.socket.OPEN) {
      conn.socket.send(JSON.stringify(SESSION_ENDED));
      conn.socket.close(CLOSE_SESSION_ENDED, 'session ended');
    }
  }

  private remove(conn: Conn): void {
    const set = this.byUser.get(conn.userId);
    if (!set) return;
    set.delete(conn);
    if (!set.size) this.byUser.delete(conn.userId);
  }

  /**
   * Drops sockets that did not answer the last ping, and ends those whose session expired or
   * whose user was disabled meanwhile (a safety net: org and auth also disconnect explicitly).
   */
  private async beat(): Promise<void> {
    const conns = [...this.byUser.values()].flatMap((s) => [...s]);
    for (const c of conns) {
      if (!c.alive) {
        this.remove(c);
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
    try {
      await this.endStale(conns.filter((c) => c.socket.readyState === c.socket.OPEN));
    } catch (err) {
      this.log.warn({ err }, 'realtime session check failed');
    }
  }

  private async endStale(conns: Conn[]): Promise<void> {
    const sessionIds = [...new Set(conns.flatMap((c) => (c.sessionId ? [c.sessionId] : [])))];
    const userIds = [...new Set(conns.map((c) => c.userId))];
    if (!userIds.length) return;
    const now = nowIso();
    const live = new Set<string>();
    for (let i = 0; i < sessionIds.length; i += 500) {
      const rows = await this.opts.db
        .selectFrom('sessions')
        .select('id')
        .where('id', 'in', sessionIds.slice(i, i + 500))
        .where('expires_at', '>', now)
        .execute();
      for (const r of rows) live.add(r.id);
    }
    const active = new Set<string>();
    for (let i = 0; i < userIds.length; i += 500) {
      const rows = await this.opts.db
        .selectFrom('users')
        .select('id')
        .where('id', 'in', userIds.slice(i, i + 500))
        .where('status', '=', 'active')
        .execute();
      for (const r of rows) active.add(r.id);
    }
    for (const c of conns) if (!active.has(c.userId) || (c.sessionId && !live.has(c.sessionId))) this.end(c);
  }
}

/** Creates the process's realtime hub (Redis pub/sub when `redisUrl` is set). */
export function createRealtimeHub(opts: RealtimeOptions): RealtimeHub {
  return new RealtimeHub(opts);
}
