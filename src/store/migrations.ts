import { SCHEMA_VERSION } from '../domain/records.js';

const BATCH_SIZE = 500;

/** One step: rewrites a record written at version `from` into version `from + 1`. */
type Step = Partial<Record<MigratedKind, (record: Record<string, unknown>) => Record<string, unknown>>>;

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

/** The record kinds a step rewrites. */
export type MigratedKind = 'threads' | 'turns' | 'items';

/** What a migration needs of the LevelDB store (store.ts gives it): the rows as stored, and atomic rewrites. */
export interface MigrationTarget {
  /** Every row of a kind, as stored: key and record. */
  rows(kind: MigratedKind): AsyncIterable<[string, unknown]>;
  /** Writes records of a kind again under the same keys (index rows unchanged), in one atomic batch. */
  rewrite(kind: MigratedKind, records: readonly [string, Record<string, unknown>][]): Promise<void>;
  setVersion(version: number): Promise<void>;
}

/**
 * Migrates in place, one step at a time, in batches. The version row is written after a step's records; a step
 * is idempotent, so a crash in between just runs it again at the next open.
 */
export async function migrate(target: MigrationTarget, from: number): Promise<void> {
  for (let version = from; version < SCHEMA_VERSION; version++) {
    const step = STEPS[version];
    if (!step) throw new Error(`no migration from schema version ${version}`);
    for (const kind of ['threads', 'turns', 'items'] as const) {
      const rewrite = step[kind];
      if (rewrite) await rewriteAll(target, kind, rewrite);
    }
    await target.setVersion(version + 1);
  }
}

async function rewriteAll(
  target: MigrationTarget,
  kind: MigratedKind,
  rewrite: (record: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  let records: [string, Record<string, unknown>][] = [];
  for await (const [key, value] of target.rows(kind)) {
    records.push([key, rewrite(value as Record<string, unknown>)]);
    if (records.length >= BATCH_SIZE) {
      await target.rewrite(kind, records);
      records = [];
    }
  }
  if (records.length) await target.rewrite(kind, records);
}
