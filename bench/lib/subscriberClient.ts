/**
 * Child process holding many WebSocket clients: graphql-ws subscriptions to our server, or raw `ws` sockets to a
 * baseline broadcaster. Both run the same per-message work (JSON parse, latency bookkeeping), so a comparison
 * measures the server side. Driven over IPC (see proc.ts).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { now, percentilesOf, Samples } from './stats.js';
import { serveParent } from './proc.js';

interface EventShape {
  seq?: number;
  name?: string;
  payload?: { delta?: unknown };
}

interface Sub {
  count: number;
  deltaEvents: number;
  firstAt: number;
  lastAt: number;
  lastDeltaAt: number;
  maxSeq: number;
  names: Set<string>;
  matched: boolean;
  matchedAt: number;
  /** Parses the delta timestamps of this connection's events (a sample of the connections does). */
  timed: boolean;
}

export interface Predicate {
  name?: string;
  seqAtLeast?: number;
  countAtLeast?: number;
}

const subs: Sub[] = [];
const clients: Client[] = [];
const sockets: WebSocket[] = [];
const errors: string[] = [];
const latencies = new Samples();
let latencyEpoch: number | null = null;
let waiter: { predicate: Predicate; remaining: number; resolve: () => void } | null = null;

function newSub(): Sub {
  return { count: 0, deltaEvents: 0, firstAt: 0, lastAt: 0, lastDeltaAt: 0, maxSeq: 0, names: new Set(), matched: false, matchedAt: 0, timed: false };
}

function matches(sub: Sub, p: Predicate): boolean {
  if (p.name !== undefined && !sub.names.has(p.name)) return false;
  if (p.seqAtLeast !== undefined && sub.maxSeq < p.seqAtLeast) return false;
  if (p.countAtLeast !== undefined && sub.count < p.countAtLeast) return false;
  return true;
}

function onEvent(sub: Sub, event: EventShape | undefined, t: number): void {
  sub.count++;
  if (!sub.firstAt) sub.firstAt = t;
  sub.lastAt = t;
  if (event) {
    if (typeof event.seq === 'number' && event.seq > sub.maxSeq) sub.maxSeq = event.seq;
    if (event.name) sub.names.add(event.name);
    if (event.name === 'item.delta') {
      sub.deltaEvents++;
      sub.lastDeltaAt = t;
      // The bench engine writes each delta as "<ms since epoch>;": every delta in a coalesced event gets its latency.
      const text = event.payload?.delta;
      if (sub.timed && latencyEpoch !== null && typeof text === 'string') {
        let i = 0;
        for (;;) {
          const j = text.indexOf(';', i);
          if (j < 0) break;
          latencies.push(t - (latencyEpoch + Number(text.slice(i, j))));
          i = j + 1;
        }
      }
    }
  }
  if (waiter && !sub.matched && matches(sub, waiter.predicate)) {
    sub.matched = true;
    sub.matchedAt = t;
    if (--waiter.remaining === 0) waiter.resolve();
  }
}

function firstField(data: unknown): EventShape | undefined {
  if (!data || typeof data !== 'object') return undefined;
  return Object.values(data as Record<string, unknown>)[0] as EventShape;
}

async function openGraphql(url: string, query: string, variables: Record<string, unknown>): Promise<void> {
  const sub = newSub();
  subs.push(sub);
  await new Promise<void>((resolve, reject) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      on: {
        connected: () => resolve(),
        error: (e) => reject(e instanceof Error ? e : new Error(`connection error: ${(e as { message?: string })?.message ?? String(e)}`)),
        closed: (e) => reject(new Error(`connection closed before it was acknowledged (code ${(e as { code?: number })?.code})`)),
      },
    });
    clients.push(client);
    client.subscribe(
      { query, variables },
      {
        next: (result) => {
          const t = now();
          if (result.errors) errors.push(JSON.stringify(result.errors).slice(0, 500));
          onEvent(sub, firstField(result.data), t);
        },
        error: (e) => errors.push(String((e as Error)?.message ?? JSON.stringify(e)).slice(0, 500)),
        complete: () => undefined,
      },
    );
  });
}

async function openRaw(url: string): Promise<void> {
  const sub = newSub();
  subs.push(sub);
  await new Promise<void>((resolve, reject) => {
    const socket = new WebSocket(url);
    sockets.push(socket);
    socket.on('open', () => resolve());
    socket.on('error', reject);
    socket.on('message', (data) => {
      const t = now();
      const frame = JSON.parse(String(data)) as { payload?: { data?: unknown } };
      onEvent(sub, firstField(frame.payload?.data), t);
    });
  });
}

serveParent({
  /** Opens `n` more connections (`concurrency` at a time). */
  async open(m) {
    const { kind, url, n, query, variables, concurrency } = m as {
      kind: 'graphql' | 'raw';
      url: string;
      n: number;
      query?: string;
      variables?: Record<string, unknown>;
      concurrency?: number;
    };
    const start = now();
    const wave = concurrency ?? 100;
    for (let done = 0; done < n; done += wave) {
      const count = Math.min(wave, n - done);
      await Promise.all(Array.from({ length: count }, () => (kind === 'graphql' ? openGraphql(url, query!, variables ?? {}) : openRaw(url))));
    }
    return { opened: subs.length, ms: now() - start };
  },

  /**
   * Sets (or clears, with null) the epoch the bench engine's delta timestamps are relative to. Only `sample`
   * connections, spread evenly, parse them: parsing every delta on every connection would make this one client
   * process the bottleneck.
   */
  latency(m) {
    latencyEpoch = (m.epoch as number | null) ?? null;
    const sample = (m.sample as number | undefined) ?? 10;
    const every = Math.max(1, Math.ceil(subs.length / sample));
    subs.forEach((s, i) => (s.timed = latencyEpoch !== null && i % every === 0));
    return { timed: subs.filter((s) => s.timed).length };
  },

  /** Forgets what was received so far (connections stay open); `keepLatency` keeps the latency samples. */
  reset(m) {
    for (const s of subs) Object.assign(s, newSub(), { timed: s.timed });
    if (!m.keepLatency) latencies.clear();
    errors.length = 0;
    return null;
  },

  /** Resolves when every connection has received what `predicate` asks for. */
  async waitAll(m) {
    const predicate = m.predicate as Predicate;
    const timeoutMs = (m.timeoutMs as number | undefined) ?? 300_000;
    for (const s of subs) s.matched = false;
    let remaining = 0;
    for (const s of subs) {
      if (matches(s, predicate)) {
        s.matched = true;
        s.matchedAt = s.lastAt;
      } else remaining++;
    }
    if (remaining > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = null;
          const missing = subs.filter((s) => !s.matched).length;
          reject(
            new Error(
              `waitAll ${JSON.stringify(predicate)}: ${missing}/${subs.length} connections still waiting after ${timeoutMs} ms; errors: ${errors.slice(0, 3).join(' | ')}`,
            ),
          );
        }, timeoutMs);
        waiter = {
          predicate,
          remaining,
          resolve: () => {
            clearTimeout(timer);
            waiter = null;
            resolve();
          },
        };
      });
    }
    const matchedAt = subs.map((s) => s.matchedAt);
    return { firstMatchedAt: Math.min(...matchedAt), lastMatchedAt: Math.max(...matchedAt) };
  },

  stats(m) {
    const counts = subs.map((s) => s.count);
    const deltaEvents = subs.map((s) => s.deltaEvents);
    return {
      connections: subs.length,
      events: { min: Math.min(...counts), max: Math.max(...counts), total: counts.reduce((a, b) => a + b, 0) },
      deltaEvents: { min: Math.min(...deltaEvents), max: Math.max(...deltaEvents), total: deltaEvents.reduce((a, b) => a + b, 0) },
      firstAt: Math.min(...subs.map((s) => s.firstAt || Infinity)),
      lastAt: Math.max(...subs.map((s) => s.lastAt)),
      lastDeltaAt: Math.max(...subs.map((s) => s.lastDeltaAt)),
      latency: m.latency !== false && latencies.length ? percentilesOf(latencies.view()) : null,
      errors: errors.slice(0, 5),
      errorCount: errors.length,
      memory: process.memoryUsage().rss,
    };
  },

  /** Closes every connection. */
  async closeAll() {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const s of sockets) s.terminate();
    clients.length = 0;
    sockets.length = 0;
    subs.length = 0;
    return null;
  },

  async exit() {
    for (const c of clients) void c.dispose();
    for (const s of sockets) s.terminate();
  },
});

process.send!({ type: 'ready' });
