import type pg from 'pg';
import { PgStore } from '../../src/store/postgres/pgStore.js';
import { now } from './stats.js';

/** One SQL statement our PostgreSQL store ran inside a transaction. */
export interface CapturedStatement {
  text: string;
  values: unknown[];
}

/** One committed transaction of our PostgreSQL store: its statements between BEGIN and COMMIT. */
export interface CapturedTransaction {
  /** When BEGIN was sent, and when COMMIT completed. */
  at: number;
  doneAt: number;
  statements: CapturedStatement[];
  /** item.delta events the transaction inserted. */
  deltaEvents: number;
}

const EVENTS_INSERT = 'INSERT INTO events';
const SEQ_INCREMENT = 'UPDATE seq_counter';

function countDeltaEvents(statement: CapturedStatement): number {
  if (!statement.text.trimStart().startsWith(EVENTS_INSERT)) return 0;
  const records = statement.values[3];
  return Array.isArray(records) ? records.filter((r) => typeof r === 'string' && r.includes('"name":"item.delta"')).length : 0;
}

type Query = (...args: unknown[]) => unknown;

/**
 * Records every transaction our PostgreSQL store commits (`pool.connect()` … BEGIN … COMMIT, as PgStore.commit and
 * batch writes run them) until `stop()`: the exact SQL of a scenario, which the storage baselines then run again
 * through a bare `pg` client (no runtime, no GraphQL) — the PostgreSQL counterpart of capture.ts.
 */
export function captureTransactions(store: PgStore): { transactions: CapturedTransaction[]; stop: () => void } {
  const pool = store.pool as unknown as { connect: (...args: unknown[]) => unknown };
  const original = pool.connect;
  const transactions: CapturedTransaction[] = [];
  const instrument = (client: pg.PoolClient) => {
    const client_ = client as unknown as { query: Query; release: Query };
    const query = client_.query;
    const release = client_.release;
    let open: CapturedTransaction | null = null;
    client_.query = function (this: unknown, ...args: unknown[]) {
      const text = args[0];
      if (text === 'BEGIN') open = { at: now(), doneAt: NaN, statements: [], deltaEvents: 0 };
      else if (text === 'ROLLBACK') open = null;
      else if (text === 'COMMIT' && open) {
        const done = open;
        open = null;
        const result = query.apply(this, args);
        void Promise.resolve(result).then(
          () => {
            done.doneAt = now();
            transactions.push(done);
          },
          () => undefined,
        );
        return result;
      } else if (open && typeof text === 'string') {
        const statement = { text, values: (args[1] as unknown[] | undefined) ?? [] };
        open.statements.push(statement);
        open.deltaEvents += countDeltaEvents(statement);
      }
      return query.apply(this, args);
    };
    client_.release = function (this: unknown, ...args: unknown[]) {
      client_.query = query;
      client_.release = release;
      return release.apply(this, args);
    };
    return client;
  };
  // pool.query() connects with a callback (single statements, no transaction): only promise connects are watched.
  pool.connect = function (this: unknown, ...args: unknown[]) {
    if (args.length) return original.apply(this, args);
    return (original.call(this) as Promise<pg.PoolClient>).then(instrument);
  };
  return {
    transactions,
    stop: () => {
      pool.connect = original;
    },
  };
}

const ID = /\b(thr|turn|item|appr|whk|whd)_([0-9A-HJKMNP-TV-Z]{26})\b/g;

/** `value` with every record id in it (also inside JSON text) suffixed, so a repetition writes new rows. */
function renamed(value: unknown, suffix: string): unknown {
  if (!suffix) return value;
  if (typeof value === 'string') return value.replace(ID, `$1_$2${suffix}`);
  if (Array.isArray(value)) return value.map((v) => renamed(v, suffix));
  return value;
}

/** A fresh database with our schema (the store's migrations), for the raw baselines to write into. */
export async function openRawDatabase(url: string): Promise<PgStore> {
  return PgStore.open(url, { nodeId: 'bench-raw', leaseMs: 60_000, poolSize: 60 });
}

/**
 * Runs `transaction` again on `client`, each statement as captured (BEGIN, the statements, COMMIT), with record
 * ids suffixed by `suffix` and the events numbered from the seq counter as the store numbers them.
 */
export async function replayTransaction(client: pg.PoolClient, transaction: CapturedTransaction, suffix: string): Promise<void> {
  await client.query('BEGIN');
  let last = 0;
  for (const statement of transaction.statements) {
    const values = statement.values.map((v) => renamed(v, suffix));
    if (statement.text.trimStart().startsWith(SEQ_INCREMENT)) {
      const result = await client.query<{ last_seq: string }>(statement.text, values);
      last = Number(result.rows[0]?.last_seq);
      continue;
    }
    if (statement.text.trimStart().startsWith(EVENTS_INSERT)) {
      const n = (values[0] as unknown[]).length;
      values[0] = Array.from({ length: n }, (_, i) => last - n + 1 + i);
    }
    await client.query(statement.text, values);
  }
  await client.query('COMMIT');
}

/**
 * Runs `sequence` (the transactions of one operation, in order) `repetitions` times on `target`'s pool,
 * `concurrency` sequences at a time, each repetition under its own id suffix. Returns elapsed ms.
 */
export async function replayTransactionSequences(
  target: PgStore,
  sequence: CapturedTransaction[],
  repetitions: number,
  concurrency: number,
  tag = '',
): Promise<number> {
  let next = 0;
  // Connections are opened before the clock starts, as our store's pool has them open.
  const clients = await Promise.all(Array.from({ length: Math.min(concurrency, repetitions) }, () => target.pool.connect()));
  const worker = async (client: pg.PoolClient) => {
    for (;;) {
      const rep = next++;
      if (rep >= repetitions) return;
      for (const transaction of sequence) await replayTransaction(client, transaction, `~${tag}r${rep}`);
    }
  };
  try {
    const start = now();
    await Promise.all(clients.map(worker));
    return now() - start;
  } finally {
    for (const client of clients) client.release();
  }
}
