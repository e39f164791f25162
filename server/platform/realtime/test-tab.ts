import WebSocket from 'ws';

export type TabMessage = { type: string; data?: unknown };
/** A browser tab's realtime socket, for tests: messages in arrival order and the close code. */
export type Tab = { ws: WebSocket; next(timeoutMs?: number): Promise<TabMessage>; queued(): number; closed: Promise<number> };

/** Opens a socket like a signed-in tab does (cookie header); rejects with `HTTP <status>` when the upgrade is refused. */
export function openTab(url: string, cookie?: string): Promise<Tab> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
    const queue: TabMessage[] = [];
    const waiting: ((m: TabMessage) => void)[] = [];
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as TabMessage;
      const w = waiting.shift();
      if (w) w(msg);
      else queue.push(msg);
    });
    const closed = new Promise<number>((res) => ws.on('close', (code) => res(code)));
    const next = (timeoutMs = 2000) =>
      new Promise<TabMessage>((res, rej) => {
        const queuedMsg = queue.shift();
        if (queuedMsg) return res(queuedMsg);
        const timer = setTimeout(() => rej(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((m) => {
          clearTimeout(timer);
          res(m);
        });
      });
    ws.on('open', () => resolve({ ws, next, queued: () => queue.length, closed }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}
