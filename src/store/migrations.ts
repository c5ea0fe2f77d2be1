import { SCHEMA_VERSION } from '../domain/records.js';
import type { StoreBatch } from './batch.js';
import type { AnySublevel } from './paging.js';
import type { Sublevels } from './sublevels.js';

const BATCH_SIZE = 500;

/** One step: rewrites a record written at version `from` into version `from + 1`. */
type Step = Partial<Record<'threads' | 'turns' | 'items', (record: Record<string, unknown>) => Record<string, unknown>>>;

const STEPS: Record<number, Step> = {
  // Version 1 stores predate task types, scratchpad history, checklist/plan, turn purpose and edit history.
  1: {
    threads: (t) => ({
      taskType: 'CODE',
      scratchpadRunId: null,
      scratchpadRunHistory: [],
      checklist: null,
      plan: null,
      forkedFrom: null,
      usage: null,
      ...t,
      schemaVersion: 2,
    }),
    turns: (t) => ({
      purpose: 'PROMPT',
      supersededBy: null,
      costCny: null,
      costUsdWithoutCache: null,
      costCnyWithoutCache: null,
      price: null,
      ...t,
      schemaVersion: 2,
    }),
    items: (i) => ({ artifactRefs: [], metadata: null, ...i, schemaVersion: 2 }),
  },
};

/**
 * Migrates in place, one step at a time, in batches. The version row is written after a step's records; a step
 * is idempotent, so a crash in between just runs it again at the next open.
 */
export async function migrate(subs: Sublevels, newBatch: () => StoreBatch, from: number): Promise<void> {
  for (let version = from; version < SCHEMA_VERSION; version++) {
    const step = STEPS[version];
    if (!step) throw new Error(`no migration from schema version ${version}`);
    for (const name of ['threads', 'turns', 'items'] as const) {
      const rewrite = step[name];
      if (rewrite) await rewriteAll(subs[name], rewrite, newBatch);
    }
    await newBatch()
      .putMeta('schema_version', version + 1)
      .write();
  }
}

async function rewriteAll(
  sub: AnySublevel,
  rewrite: (record: Record<string, unknown>) => Record<string, unknown>,
  newBatch: () => StoreBatch,
): Promise<void> {
  let batch = newBatch();
  for await (const [key, value] of sub.iterator()) {
    batch.ops.push({ type: 'put', sublevel: sub, key, value: rewrite(value as Record<string, unknown>) });
    if (batch.size >= BATCH_SIZE) {
      await batch.write();
      batch = newBatch();
    }
  }
  if (batch.size) await batch.write();
}
