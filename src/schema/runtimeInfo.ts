import { createRequire } from 'node:module';
import { SCHEMA_VERSION } from '../domain/records.js';
import { builder } from './builder.js';
import { EVENT_SCHEMA_VERSION } from './event.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const startedAt = new Date();

builder.queryField('runtimeInfo', (t) =>
  t.field({
    type: builder
      .objectRef<object>('RuntimeInfo')
      .implement({
        fields: (f) => ({
          version: f.string({ resolve: () => version }),
          schemaVersion: f.int({ description: 'Version of the store records.', resolve: () => SCHEMA_VERSION }),
          eventSchemaVersion: f.int({ description: 'Version of event names and payloads.', resolve: () => EVENT_SCHEMA_VERSION }),
          latestSeq: f.field({ type: 'SafeInt', resolve: (_, __, ctx) => ctx.rt.log.latestSeq }),
          engine: f.string({ description: '`openai` or `offline`.', resolve: (_, __, ctx) => ctx.rt.config.engine.name }),
          defaultModel: f.string({ resolve: (_, __, ctx) => ctx.rt.config.defaultModel }),
          activeThreads: f.int({ description: 'Threads with a running turn.', resolve: (_, __, ctx) => ctx.rt.active.size }),
          maxActiveThreads: f.int({ resolve: (_, __, ctx) => ctx.rt.config.maxActiveThreads }),
          startedAt: f.field({ type: 'DateTime', resolve: () => startedAt }),
        }),
      }),
    resolve: () => ({}),
  }),
);
