import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { OPENAI_ENGINE_DEFAULTS } from '../src/engine/openaiEngine.js';
import { RUNTIME_DEFAULTS } from '../src/runtime/config.js';
import { EVENT_STREAM_DEFAULTS } from '../src/runtime/eventStream.js';
import { DEFAULT_IDEMPOTENCY_TTL_MS } from '../src/runtime/idempotency.js';
import { DEFAULT_QUERY_LIMITS } from '../src/schema/context.js';
import { DEFAULT_SECURITY } from '../src/server/app.js';
import { configCommand, parseConfig } from '../src/server/config.js';
import { DEFAULT_HOST } from '../src/server/security.js';
import { DEFAULT_WS_KEEPALIVE_MS } from '../src/server/wsServer.js';
import { DEFAULT_NODE_LEASE_MS } from '../src/store/postgres/pgNodes.js';
import { DEFAULT_DURABILITY } from '../src/store/store.js';
import { startTestServer, type TestServer } from './support/harness.js';

// Each default has one owner (the module that uses it); the command line and the README must say the same.

describe('the command line defaults are the owning modules’ defaults', () => {
  const config = parseConfig([], {});

  it('server, security and query limits', () => {
    expect(config.host).toBe(DEFAULT_HOST);
    expect(config.authToken).toBe(DEFAULT_SECURITY.authToken);
    expect(config.corsOrigins).toEqual(DEFAULT_SECURITY.corsOrigins);
    expect(config.allowedHosts).toEqual(DEFAULT_SECURITY.allowedHosts);
    expect(config.maxBodyBytes).toBe(DEFAULT_SECURITY.maxBodyBytes);
    expect(config.introspection).toBe(DEFAULT_SECURITY.introspection);
    expect(config.maxWsConnections).toBe(DEFAULT_SECURITY.maxWsConnections);
    expect(config.maxOperationsPerConnection).toBe(DEFAULT_SECURITY.maxOperationsPerConnection);
    expect(config.maxQueryComplexity).toBe(DEFAULT_QUERY_LIMITS.complexity);
    expect(config.maxQueryDepth).toBe(DEFAULT_QUERY_LIMITS.depth);
    expect(config.wsKeepaliveMs).toBe(DEFAULT_WS_KEEPALIVE_MS);
  });

  it('store, engine and runtime', () => {
    expect(config.durability).toBe(DEFAULT_DURABILITY);
    expect(config.nodeLeaseSecs * 1000).toBe(DEFAULT_NODE_LEASE_MS);
    expect(config.baseUrl).toBe(OPENAI_ENGINE_DEFAULTS.baseURL);
    expect(config.providerIdleTimeoutMs).toBe(OPENAI_ENGINE_DEFAULTS.idleTimeoutMs);
    expect(config.model).toBe(RUNTIME_DEFAULTS.defaultModel);
    expect(config.approvalTimeoutSecs * 1000).toBe(RUNTIME_DEFAULTS.approvalTimeoutMs);
    expect(config.clientToolTimeoutSecs * 1000).toBe(RUNTIME_DEFAULTS.clientToolTimeoutMs);
    expect(config.maxActiveThreads).toBe(RUNTIME_DEFAULTS.maxActiveThreads);
    expect(config.maxSteps).toBe(RUNTIME_DEFAULTS.maxSteps);
    expect(config.maxPromptBytes).toBe(RUNTIME_DEFAULTS.maxPromptBytes);
    expect(config.maxRunningTurns).toBe(RUNTIME_DEFAULTS.maxRunningTurns);
    expect(config.idempotencyTtlHours * 3_600_000).toBe(DEFAULT_IDEMPOTENCY_TTL_MS);
  });
});

describe('a server started with the command line defaults', () => {
  let server: TestServer | undefined;
  afterAll(() => server?.close());

  it('runs the runtime with the runtime’s defaults (server.ts converts the units)', async () => {
    server = await startTestServer();
    const { config } = server.runtime;
    for (const key of [
      'defaultModel',
      'defaultMode',
      'maxActiveThreads',
      'approvalTimeoutMs',
      'maxPromptBytes',
      'maxSteps',
      'subscriberMaxPending',
      'subscriberMergeFrom',
      'clientToolTimeoutMs',
      'modelListTtlMs',
      'presenceIntervalMs',
      'maxRunningTurns',
    ] as const) {
      expect(config[key], key).toBe(RUNTIME_DEFAULTS[key]);
    }
    expect(config.idempotencyTtlMs).toBe(DEFAULT_IDEMPOTENCY_TTL_MS);
  });

  it('the runtime’s subscriber bounds are the event stream’s defaults', () => {
    expect(RUNTIME_DEFAULTS.subscriberMaxPending).toBe(EVENT_STREAM_DEFAULTS.maxPending);
    expect(RUNTIME_DEFAULTS.subscriberMergeFrom).toBe(EVENT_STREAM_DEFAULTS.mergeFrom);
  });
});

describe('README "Configuration"', () => {
  /** flag -> its default cell, from the table's rows. */
  async function readmeDefaults(): Promise<Map<string, string>> {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Running more than one node'));
    const rows = new Map<string, string>();
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const flag = /^`(--[a-z-]+)`/.exec(cells[1] ?? '')?.[1];
      if (flag) rows.set(flag, cells[3] ?? '');
    }
    return rows;
  }

  it('lists every flag, each with the default the command line has', async () => {
    const rows = await readmeDefaults();
    const options = configCommand().options;
    expect([...rows.keys()].sort()).toEqual(options.map((o) => o.long).sort());
    for (const option of options) {
      const cell = rows.get(option.long!)!;
      const value: unknown = option.defaultValue;
      // Said in words: `--workspace` (the current directory), `--no-introspection` (on), `--engine` (by the key).
      if (option.long === '--workspace' || option.long === '--engine' || option.negate) continue;
      if (value === undefined) {
        if (option.long === '--cors-origin') expect(cell, cell).toBe(DEFAULT_SECURITY.corsOrigins.map((o) => `\`${o}\``).join(', '));
        else expect(cell, `${option.long} has no default`).not.toMatch(/^`/);
      } else {
        expect(cell, `${option.long}: ${cell}`).toMatch(new RegExp(`^\`${String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`( |$)`));
      }
    }
  });
});
