import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ResolveApprovalDocument } from '../sdk/generated/graphql.js';
import type { Engine, EngineEvent, EngineInput } from '../src/engine/types.js';
import { GateEngine } from './support/gateEngine.js';
import { startFlakyServer, type FlakyServer } from './support/flakyStore.js';
import { removeDir, tempDir, waitFor } from './support/harness.js';
import { createThread, startedTurn, waitForTurnEnd } from './support/ops.js';

// Approval writes the store refuses: the turn waiting on the approval is never left waiting forever, and the
// refusal is logged with the approval and turn it concerns.

let server: FlakyServer | undefined;
let workspace: string | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  if (workspace) await removeDir(workspace);
});

/** A pino logger whose error lines the test reads. */
function capturedLogger() {
  const lines: { msg: string; approvalId?: string; turnId?: string; cause?: string; err?: { message: string } }[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

async function start(engine: Engine, runtime: { approvalTimeoutMs: number; clock?: () => number }) {
  workspace = await tempDir('zagens-approval-failures-');
  const { logger, lines } = capturedLogger();
  server = await startFlakyServer({ workspace, engine, runtime, logger });
  return { s: server, lines };
}

async function pendingApprovalId(s: FlakyServer): Promise<string> {
  return waitFor(async () => (await s.store.listPendingApprovalIds(null))[0], 10_000, 'the approval to be pending');
}

describe('approval writes the store refuses', () => {
  it('the expiry is refused: the refusal is logged, the turn goes on denied, and the approval expires at the next decision', async () => {
    const engine = new GateEngine();
    const { s, lines } = await start(engine, { approvalTimeoutMs: 1500 });
    const threadId = await createThread(s);
    const turn = await startedTurn(s, { threadId, prompt: 'this needs approval' });
    engine.release(turn.id);
    const approvalId = await pendingApprovalId(s);
    // Nothing else writes while the turn waits: the next write is the expiry.
    s.db.failNext = 1;

    const ended = await waitForTurnEnd(s, turn.id, 15_000);
    expect(ended.status).toBe('COMPLETED');
    const tool = ended.items.nodes.find((i) => i.kind === 'TOOL_CALL');
    expect(tool?.status).toBe('FAILED');
    expect(s.db.refused).toBe(1);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'could not record the expiry of an approval',
        approvalId,
        turnId: turn.id,
        cause: 'timeout',
        err: expect.objectContaining({ message: expect.stringMatching(/store refused the write|ENOSPC/) }),
      }),
    );
    // Still PENDING in the store, but past its expiry: a decision now is refused and records the expiry.
    expect((await s.store.getApproval(approvalId))?.status).toBe('PENDING');
    const { resolveApproval } = await s.sdk.request(ResolveApprovalDocument, { input: { approvalId, decision: 'APPROVE' } });
    expect(resolveApproval).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', message: expect.stringMatching(/expired/) });
    expect((await s.store.getApproval(approvalId))?.status).toBe('EXPIRED');
  });

  it('the expiry recorded by a late decision is refused: the waiting turn is woken, not left until its timer', async () => {
    let offset = 0;
    const engine = new GateEngine();
    // The runtime's clock passes the expiry at once; the real timer (60 s) would fire far after the test's bound.
    const { s, lines } = await start(engine, { approvalTimeoutMs: 60_000, clock: () => Date.now() + offset });
    const threadId = await createThread(s);
    const turn = await startedTurn(s, { threadId, prompt: 'this needs approval' });
    engine.release(turn.id);
    const approvalId = await pendingApprovalId(s);
    offset = 61_000;
    s.db.failNext = 1;

    const { resolveApproval } = await s.sdk.request(ResolveApprovalDocument, { input: { approvalId, decision: 'APPROVE' } });
    expect(resolveApproval).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', message: expect.stringMatching(/expired/) });
    const ended = await waitForTurnEnd(s, turn.id, 15_000);
    expect(ended.status).toBe('COMPLETED');
    expect(ended.items.nodes.find((i) => i.kind === 'TOOL_CALL')?.status).toBe('FAILED');
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'could not record the expiry of an approval', approvalId, turnId: turn.id, cause: 'decided after its expiry' }),
    );
  });

  it('the pending approval itself is refused: the turn ends FAILED with the storage error and nothing waits', async () => {
    let proceed!: () => void;
    const gate = new Promise<void>((resolve) => (proceed = resolve));
    const engine: Engine = {
      name: 'asks-after-gate',
      changesFiles: false,
      async *runTurn(input: EngineInput): AsyncIterable<EngineEvent> {
        yield { type: 'item.started', key: 'tool', kind: 'TOOL_CALL', fields: { toolName: 'write_file', arguments: {} } };
        await gate;
        const outcome = await input.requestApproval({ toolName: 'write_file', arguments: {}, reason: null, itemKey: 'tool' });
        yield { type: 'item.completed', key: 'tool', status: outcome.decision === 'APPROVED' ? 'COMPLETED' : 'FAILED' };
      },
    } as Engine;
    const { s } = await start(engine, { approvalTimeoutMs: 60_000 });
    const threadId = await createThread(s);
    const turn = await startedTurn(s, { threadId, prompt: 'go' });
    await waitFor(async () => (await s.store.readEvents(threadId, 0, 100)).some((e) => e.name === 'item.started' && e.payload.kind === 'TOOL_CALL'));
    s.db.failNext = 1;
    proceed();

    const ended = await waitForTurnEnd(s, turn.id, 15_000);
    expect(ended.status).toBe('FAILED');
    expect(ended.error).toMatch(/store refused the write|ENOSPC/);
    expect(await s.store.listPendingApprovalIds(null)).toEqual([]);
    expect(s.runtime.active.size).toBe(0);
  });
});
