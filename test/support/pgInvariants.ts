/**
 * The PostgreSQL store read whole, in the shape of the LevelDB dump (support/invariants.ts), so that the same
 * invariants check both stores: the index rows LevelDB keeps beside the records are, on PostgreSQL, the columns
 * beside each record (thread order key, turn status and thread, item turn, event thread), rebuilt here from
 * the columns — a column that disagrees with its record shows as an index problem. Problems only PostgreSQL can
 * have are added to the list: an event whose seq column differs from its record, a seq counter other than the
 * newest event's seq, rows whose turn, thread or node is gone, a running turn without a registered owner node
 * (its lease), and usage rollups that differ from a recomputation from the per-turn facts.
 */
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import type { ApprovalRecord, EventRecord, ItemRecord, ThreadRecord, TurnRecord } from '../../src/domain/records.js';
import { addFacts, emptyAccumulator, type UsageAccumulator, type UsageFacts } from '../../src/domain/usage.js';
import { rollupQuarter } from '../../src/domain/usageRollup.js';
import { childKey, seqKey, threadSeqKey } from '../../src/store/keys.js';
import { checkInvariants, type InvariantOptions, type StoreDump } from './invariants.js';

async function dumpPgStore(client: pg.Client): Promise<{ dump: StoreDump; problems: string[] }> {
  const problems: string[] = [];
  const q = async <R>(text: string) => (await client.query(text)).rows as R[];
  // One snapshot of the whole database.
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const meta = new Map<string, unknown>((await q<{ key: string; value: unknown }>('SELECT key, value FROM settings')).map((r) => [r.key, r.value]));
    const [counter] = await q<{ last_seq: string; max_seq: string | null }>(
      'SELECT last_seq, (SELECT max(seq) FROM events) AS max_seq FROM seq_counter WHERE id = 1',
    );
    meta.set('next_seq', Number(counter?.last_seq ?? 0) + 1);
    if (Number(counter?.last_seq) !== Number(counter?.max_seq ?? 0))
      problems.push(`seq_counter last_seq ${counter?.last_seq} but the newest event is ${counter?.max_seq}`);
    problems.push(...(await orphansAndLeases(q)), ...(await rollupProblems(q)));
    const threadRows = await q<{ id: string; updated_key: string; archived: boolean; task_id: string | null; record: ThreadRecord }>(
      'SELECT id, updated_key, archived, task_id, record FROM threads ORDER BY id',
    );
    const turnRows = await q<{ id: string; thread_id: string; status: string; record: TurnRecord }>(
      'SELECT id, thread_id, status, record FROM turns ORDER BY thread_id, id',
    );
    const itemRows = await q<{ id: string; turn_id: string; record: ItemRecord }>('SELECT id, turn_id, record FROM items ORDER BY turn_id, id');
    const eventRows = await q<{ seq: string; thread_id: string; in_thread: boolean; record: EventRecord }>(
      'SELECT seq, thread_id, in_thread, record FROM events ORDER BY seq',
    );
    const approvalRows = await q<{ id: string; thread_id: string; status: string; record: ApprovalRecord }>(
      'SELECT id, thread_id, status, record FROM approvals ORDER BY thread_id, id',
    );
    for (const e of eventRows) {
      if (Number(e.seq) !== e.record.seq) problems.push(`events row ${e.seq}: holds seq ${e.record.seq}`);
      if (e.thread_id !== e.record.threadId) problems.push(`events row ${e.seq}: thread_id ${e.thread_id} but the event is of ${e.record.threadId}`);
    }
    const dump: StoreDump = {
      meta,
      threads: new Map(threadRows.map((r) => [r.id, r.record])),
      threadsByUpdated: new Map(threadRows.map((r) => [r.updated_key, { archived: r.archived, taskId: r.task_id }])),
      turns: new Map(turnRows.map((r) => [r.id, r.record])),
      threadTurns: new Map(turnRows.map((r) => [childKey(r.thread_id, r.id), r.status])),
      items: new Map(itemRows.map((r) => [r.id, r.record])),
      turnItems: new Map(itemRows.map((r) => [childKey(r.turn_id, r.id), true])),
      events: new Map(eventRows.map((r) => [seqKey(Number(r.seq)), r.record])),
      threadEvents: new Map(eventRows.filter((r) => r.in_thread).map((r) => [threadSeqKey(r.thread_id, Number(r.seq)), r.record])),
      queue: new Map(turnRows.filter((r) => r.status === 'QUEUED').map((r) => [childKey(r.thread_id, r.id), true])),
      openTurns: new Map(turnRows.filter((r) => r.status === 'IN_PROGRESS').map((r) => [r.id, true])),
      approvals: new Map(approvalRows.map((r) => [r.id, r.record])),
      pendingApprovals: new Map(approvalRows.filter((r) => r.status === 'PENDING').map((r) => [childKey(r.thread_id, r.id), true])),
      threadApprovals: new Map(approvalRows.map((r) => [childKey(r.thread_id, r.id), true])),
    };
    return { dump, problems };
  } finally {
    await client.query('COMMIT');
  }
}

type Query = <R>(text: string) => Promise<R[]>;

/** Rows that point at a turn, thread or node that is gone; running turns whose owner node has no row. */
async function orphansAndLeases(q: Query): Promise<string[]> {
  const found = await q<{ problem: string }>(`
    SELECT 'turn_snapshots ' || s.turn_id || ': no turn' AS problem FROM turn_snapshots s WHERE NOT EXISTS (SELECT 1 FROM turns t WHERE t.id = s.turn_id)
    UNION ALL SELECT 'images ' || i.thread_id || '/' || i.sha256 || ': no thread' FROM images i WHERE NOT EXISTS (SELECT 1 FROM threads t WHERE t.id = i.thread_id)
    UNION ALL SELECT 'presence ' || p.node_id || '/' || p.thread_id || ': no node' FROM presence p WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = p.node_id)
    UNION ALL SELECT 'turn ' || t.id || ': IN_PROGRESS with owner ' || coalesce(t.node_id, 'none') || ', which has no nodes row (no lease)'
      FROM turns t WHERE t.status = 'IN_PROGRESS' AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = t.node_id)
    ORDER BY 1 LIMIT 50`);
  return found.map((r) => r.problem);
}

/** Each rollup row against the sum of its turns' facts (sums of integers, so exact), both ways. */
async function rollupProblems(q: Query): Promise<string[]> {
  const problems: string[] = [];
  const stored = await q<{ quarter: string; thread_id: string; model: string; value: UsageAccumulator }>(
    'SELECT quarter, thread_id, model, value FROM usage_rollups',
  );
  const facts = await q<{ ended_at: string; turn_id: string; value: UsageFacts }>(
    'SELECT ended_at, turn_id, value FROM usage_facts ORDER BY ended_at, turn_id',
  );
  const key = (quarter: string, threadId: string, model: string) => JSON.stringify([quarter, threadId, model]);
  const recomputed = new Map<string, UsageAccumulator>();
  for (const f of facts) {
    if (f.value.endedAt !== f.ended_at) problems.push(`usage_facts ${f.ended_at}/${f.turn_id}: holds endedAt ${f.value.endedAt}`);
    const k = key(rollupQuarter(f.ended_at), f.value.threadId, f.value.model);
    recomputed.set(k, addFacts(recomputed.get(k) ?? emptyAccumulator(), f.value));
  }
  for (const r of stored) {
    const k = key(r.quarter, r.thread_id, r.model);
    if (!isDeepStrictEqual(r.value, recomputed.get(k)))
      problems.push(`usage_rollups ${k}: ${JSON.stringify(r.value)} but the facts sum to ${JSON.stringify(recomputed.get(k) ?? null)}`);
    recomputed.delete(k);
  }
  for (const k of recomputed.keys()) problems.push(`usage_facts of ${k}: no usage_rollups row`);
  return problems;
}

/** Every problem of the PostgreSQL database at `url` (an empty list when it is consistent). */
export async function pgStoreProblems(url: string, options: InvariantOptions = {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { dump, problems } = await dumpPgStore(client);
    return [...problems, ...checkInvariants(dump, options)];
  } finally {
    await client.end();
  }
}
