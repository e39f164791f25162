import { useEffect, useRef } from 'react';

/** What the server pushes: `{ type, data }`. 'connected' is local: fired on every (re)connection. */
export type RealtimeMessage = { type: string; data?: unknown };
type Handler = (data: unknown) => void;

const MAX_DELAY_MS = 30_000;
/** the server's close code after `session_ended` (server/platform/realtime) */
const CLOSE_SESSION_ENDED = 4001;
const listeners = new Map<string, Set<Handler>>();
let socket: WebSocket | null = null;
let wanted = false;
let attempt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function emit(type: string, data?: unknown) {
  for (const h of listeners.get(type) ?? []) {
    try {
      h(data);
    } catch (e) {
      console.error('realtime handler failed', type, e);
    }
  }
}

function url(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`;
}

function open() {
  const ws = new WebSocket(url());
  socket = ws;
  ws.onopen = () => {
    attempt = 0;
    emit('connected');
  };
  ws.onmessage = (ev: MessageEvent) => {
    let msg: RealtimeMessage;
    try {
      msg = JSON.parse(String(ev.data)) as RealtimeMessage;
    } catch {
      return; // not ours
    }
    if (msg && typeof msg.type === 'string') emit(msg.type, msg.data);
  };
  ws.onclose = (ev: CloseEvent) => {
    if (socket === ws) socket = null;
    // the server ended this session: reconnecting would only be refused until the next sign-in
    if (ev.code === CLOSE_SESSION_ENDED) wanted = false;
    if (wanted) scheduleReconnect();
  };
}

// exponential backoff with jitter, so a restarted server is not hit by every tab at once
function scheduleReconnect() {
  clearTimeout(timer);
  const delay = Math.min(MAX_DELAY_MS, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
  attempt++;
  timer = setTimeout(() => {
    if (wanted && !socket) open();
  }, delay);
}

function reconnectNow() {
  if (!wanted || socket) return;
  attempt = 0;
  clearTimeout(timer);
  open();
}

/** Opens this tab's one connection (idempotent). The signed-in shell calls it. */
export function connectRealtime() {
  wanted = true;
  if (socket) return;
  window.addEventListener('online', reconnectNow);
  open();
}

/** Closes the connection and stops reconnecting (logout, session ended). */
export function disconnectRealtime() {
  wanted = false;
  clearTimeout(timer);
  window.removeEventListener('online', reconnectNow);
  const ws = socket;
  socket = null;
  ws?.close();
  attempt = 0;
}

/**
 * Calls `handler(data)` for every server message of `type` while the component is mounted,
 * e.g. `useRealtime('notification', (n) => …)`. The handler may change between renders.
 */
export function useRealtime(type: string, handler: (data: unknown) => void) {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    const h: Handler = (data) => ref.current(data);
    let set = listeners.get(type);
    if (!set) listeners.set(type, (set = new Set()));
    set.add(h);
    return () => {
      set.delete(h);
    };
  }, [type]);
}
