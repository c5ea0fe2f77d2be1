import { createRequire } from 'node:module';
import { EVENT_SCHEMA_VERSION } from '../domain/events.js';
import { SCHEMA_VERSION } from '../domain/records.js';
import { builder } from './builder.js';
import { SandboxInfoRef } from './sandbox.js';
import { detectSandbox } from '../engine/tools/sandbox.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const startedAt = new Date();

builder.queryField('runtimeInfo', (t) =>
  t.field({
    type: builder.objectRef<object>('RuntimeInfo').implement({
      description: 'What this server is and how it is doing.',
      fields: (f) => ({
        version: f.string({ description: "The server's version (semver).", resolve: () => version }),
        schemaVersion: f.int({ description: 'Version of the store records.', resolve: () => SCHEMA_VERSION }),
        eventSchemaVersion: f.int({ description: 'Version of event names and payloads.', resolve: () => EVENT_SCHEMA_VERSION }),
        latestSeq: f.field({
          type: 'SafeInt',
          description: 'Seq of the newest event of any thread (0 if none).',
          resolve: (_, __, ctx) => ctx.rt.log.latestSeq,
        }),
        engine: f.string({ description: '`openai` or `offline`.', resolve: (_, __, ctx) => ctx.rt.config.engine.name }),
        defaultModel: f.string({
          description: 'The model of new threads that name none (`--model`).',
          resolve: (_, __, ctx) => ctx.rt.config.defaultModel,
        }),
        activeThreads: f.int({ description: 'Threads with a running turn.', resolve: (_, __, ctx) => ctx.rt.active.size }),
        maxActiveThreads: f.int({
          description: 'How many threads keep their conversation loaded in memory (least recently used are evicted; running ones never).',
          resolve: (_, __, ctx) => ctx.rt.config.maxActiveThreads,
        }),
        maxRunningTurns: f.int({
          nullable: true,
          description: 'Turns that may run at once across threads (`--max-running-turns`); null: no bound.',
          resolve: (_, __, ctx) => (Number.isFinite(ctx.rt.slots.max) ? ctx.rt.slots.max : null),
        }),
        turnsWaitingForSlot: f.int({
          description: 'Threads whose queued turn waits for a free slot (past maxRunningTurns).',
          resolve: (_, __, ctx) => ctx.rt.slots.waitingThreads,
        }),
        startedAt: f.field({ type: 'DateTime', description: 'When this server process started.', resolve: () => startedAt }),
        sandbox: f.field({ type: SandboxInfoRef, description: 'Which sandbox shell commands run in.', resolve: () => detectSandbox() }),
      }),
    }),
    description: 'Version and state of this server.',
    resolve: () => ({}),
  }),
);
