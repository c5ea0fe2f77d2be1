import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defined } from '../src/domain/defined.js';
import { newId } from '../src/domain/ids.js';
import { OpenAIEngine } from '../src/engine/openaiEngine.js';
import { DENIED_OUTPUT, EXPIRED_OUTPUT } from '../src/engine/toolRunner.js';
import { RESTART_ERROR } from '../src/runtime/recovery.js';
import type { RuntimeConfig } from '../src/runtime/config.js';
import { startFakeProvider, textReply, type FakeProvider, type Reply } from './support/fakeProvider.js';
import { removeDir, startTestServer, subscribe, waitFor, type TestServer } from './support/harness.js';
import {
  codeOf,
  createThread,
  mutate,
  narrow,
  pendingApprovals,
  resolveApproval,
  startTurn,
  storedEvent,
  threadEvents,
  threadState,
  turnState,
  waitForTurnEnd,
} from './support/ops.js';
import { ApprovalDocument, InterruptTurnDocument, ThreadEventsDocument, type ApprovalDecision } from '../sdk/generated/graphql.js';

// Tool calls that need a person's approval, through the real engine and the GraphQL API: the approval record,
// its events, the waiting turn, every way an approval ends (approve, deny, remember, expiry, interrupt, restart).

const APPROVAL_TIMEOUT_MS = 60_000;

let fake: FakeProvider;
let server: TestServer;
const toClose: TestServer[] = [];

function engine() {
  return new OpenAIEngine({ baseURL: fake.baseURL, apiKey: 'test', retryBaseMs: 10 });
}

async function startServer(runtime: Partial<RuntimeConfig> = {}, reuse?: TestServer): Promise<TestServer> {
  const s = await startTestServer({
    engine: engine(),
    runtime: { approvalTimeoutMs: APPROVAL_TIMEOUT_MS, ...runtime },
    ...(reuse ? { dataDir: reuse.dataDir, workspace: reuse.workspace } : {}),
  });
  toClose.push(s);
  return s;
}

beforeEach(async () => {
  fake = await startFakeProvider();
  server = await startServer();
});

afterEach(async () => {
  for (const s of toClose.splice(0)) await s.close();
  await fake.close();
  await removeDir(server.workspace);
  await removeDir(server.dataDir);
});

let callCounter = 0;

function writeCall(filePath: string, content: string): { reply: Reply; id: string } {
  const id = `call_w${++callCounter}`;
  return {
    id,
    reply: { kind: 'stream', chunks: [{ toolCalls: [{ id, name: 'write_file', arguments: JSON.stringify({ path: filePath, content }) }] }] },
  };
}

async function approvalNode(s: TestServer, id: string) {
  return (await s.sdk.request(ApprovalDocument, { id })).node;
}

const resolve = (s: TestServer, approvalId: string, decision: ApprovalDecision, remember?: boolean) =>
  resolveApproval(s, { approvalId, decision, ...(remember === undefined ? {} : { remember }) });

/** Starts a turn whose model calls write_file, and waits until its approval is pending. */
async function turnWaitingForApproval(s: TestServer, threadId: string, filePath = 'out.txt', content = 'hello\n') {
  const call = writeCall(filePath, content);
  fake.script(call.reply, textReply('Done.'));
  const started = await startTurn(s, { threadId, prompt: `Write ${filePath}` });
  expect(started.__typename, JSON.stringify(started)).toBe('StartTurnPayload');
  const turnId = narrow(started, 'StartTurnPayload').turn.id;
  const approval = await waitFor(async () => (await pendingApprovals(s, threadId))[0], 5000, 'a pending approval');
  return { turnId, approval, callId: call.id, requestsBefore: fake.requests.length };
}

describe('an approval is asked for write_file', () => {
  it('announces approval.required, lists the approval as PENDING, and the turn waits', async () => {
    const threadId = await createThread(server);
    const live = subscribe(server.ws(), ThreadEventsDocument, { threadId }, (v) => v.threadEvents.name === 'approval.required');
    const before = Date.now();
    const { turnId, approval } = await turnWaitingForApproval(server, threadId, 'notes/todo.md', '- one\n');

    expect(approval).toMatchObject({
      status: 'PENDING',
      toolName: 'write_file',
      arguments: { path: 'notes/todo.md', content: '- one\n' },
      reason: null,
      resolvedAt: null,
      thread: { id: threadId },
      turn: { id: turnId, status: 'IN_PROGRESS' },
    });
    expect(approval.id).toMatch(/^appr_/);
    const expires = Date.parse(approval.expiresAt);
    expect(expires - Date.parse(approval.createdAt)).toBe(APPROVAL_TIMEOUT_MS);
    expect(expires).toBeGreaterThanOrEqual(before + APPROVAL_TIMEOUT_MS - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + APPROVAL_TIMEOUT_MS + 1000);

    // The event, live and stored.
    const liveEvents = (await live.done).map((v) => storedEvent(v.threadEvents));
    const required = defined(liveEvents.at(-1), 'the live approval.required');
    expect(required?.payload).toMatchObject({
      approvalId: approval.id,
      toolName: 'write_file',
      arguments: { path: 'notes/todo.md', content: '- one\n' },
    });
    const stored = (await threadEvents(server, threadId)).find((e) => e.name === 'approval.required');
    expect(stored).toEqual(required);

    // The TOOL_CALL item waits, IN_PROGRESS; the event names it.
    const turn = await turnState(server, turnId);
    expect(turn.status).toBe('IN_PROGRESS');
    expect(turn.items.nodes.map((i) => [i.kind, i.status])).toEqual([
      ['USER_MESSAGE', 'COMPLETED'],
      ['TOOL_CALL', 'IN_PROGRESS'],
    ]);
    expect(required.itemId).toBe(turn.items.nodes[1]?.id);
    expect(required.turnId).toBe(turnId);

    // Listed without a thread filter too, and through node(id:).
    expect((await pendingApprovals(server)).map((a) => a.id)).toContain(approval.id);
    expect(await approvalNode(server, approval.id)).toMatchObject({ __typename: 'Approval', id: approval.id, status: 'PENDING' });

    // Nothing is written and the model is not called again while it waits.
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(path.join(server.workspace, 'notes/todo.md'))).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it('APPROVE: the file is written, FILE_CHANGE item, approval.resolved, the turn COMPLETED, nothing pending', async () => {
    const threadId = await createThread(server);
    const { turnId, approval, callId } = await turnWaitingForApproval(server, threadId, 'out.txt', 'approved content\n');

    const result = await resolve(server, approval.id, 'APPROVE');
    expect(result).toMatchObject({ __typename: 'ResolveApprovalPayload', approval: { id: approval.id, status: 'APPROVED' } });
    expect(narrow(result, 'ResolveApprovalPayload').approval.resolvedAt).not.toBeNull();

    const turn = await waitForTurnEnd(server, turnId);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes.map((i) => i.kind)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'FILE_CHANGE', 'AGENT_MESSAGE']);
    const call = narrow(turn.items.nodes[1], 'ToolCallItem');
    const change = narrow(turn.items.nodes[2], 'FileChangeItem');
    const answer = narrow(turn.items.nodes[3], 'AgentMessageItem');
    expect(call).toMatchObject({ status: 'COMPLETED', toolName: 'write_file' });
    expect(change).toMatchObject({ path: 'out.txt', changeKind: 'ADD', status: 'COMPLETED' });
    expect(change.diff).toContain('+approved content');
    expect(answer.text).toBe('Done.');
    expect(await readFile(path.join(server.workspace, 'out.txt'), 'utf8')).toBe('approved content\n');
    expect(fake.requests[1]?.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: callId, content: call.output });

    const events = await threadEvents(server, threadId);
    const names = events.map((e) => e.name);
    const resolved = events.find((e) => e.name === 'approval.resolved')!;
    expect(resolved).toMatchObject({
      turnId,
      itemId: call.id,
      payload: { approvalId: approval.id, status: 'APPROVED', toolName: 'write_file', remember: false },
    });
    expect(names.indexOf('approval.required')).toBeLessThan(names.indexOf('approval.resolved'));
    expect(names.indexOf('approval.resolved')).toBeLessThan(events.findIndex((e) => e.itemId === change.id));

    expect(await pendingApprovals(server, threadId)).toEqual([]);
    expect(await approvalNode(server, approval.id)).toMatchObject({ status: 'APPROVED', turn: { status: 'COMPLETED' } });
    // The thread's setting is unchanged without remember.
    expect((await threadState(server, threadId)).autoApprove).toBe(false);
  });

  it('DENY: nothing written, the model is told it was denied, the TOOL_CALL FAILED, the turn completes', async () => {
    const threadId = await createThread(server);
    const { turnId, approval, callId } = await turnWaitingForApproval(server, threadId, 'denied.txt');

    const result = await resolve(server, approval.id, 'DENY');
    expect(result).toMatchObject({ __typename: 'ResolveApprovalPayload', approval: { status: 'DENIED' } });

    const turn = await waitForTurnEnd(server, turnId);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes.map((i) => i.kind)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'AGENT_MESSAGE']);
    expect(turn.items.nodes[1]).toMatchObject({ status: 'FAILED', output: DENIED_OUTPUT });
    expect(existsSync(path.join(server.workspace, 'denied.txt'))).toBe(false);

    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: callId, content: DENIED_OUTPUT });
    expect(fake.requests[1]?.messages.at(-1)!.content).toMatch(/denied/);

    const events = await threadEvents(server, threadId);
    expect(events.find((e) => e.name === 'approval.resolved')!.payload).toMatchObject({ approvalId: approval.id, status: 'DENIED' });
    expect(await pendingApprovals(server, threadId)).toEqual([]);
  });
});

describe('other tools', () => {
  it('the shell asks too (allowShell without autoApprove); once approved it runs as a COMMAND_EXECUTION', async () => {
    const threadId = await createThread(server, { allowShell: true });
    fake.script(
      {
        kind: 'stream',
        chunks: [{ toolCalls: [{ id: 'call_sh', name: 'shell', arguments: JSON.stringify({ command: 'echo hi > shell.txt && echo done' }) }] }],
      },
      textReply('Ran it.'),
    );
    const started = await startTurn(server, { threadId, prompt: 'Run it' });
    const approval = await waitFor(async () => (await pendingApprovals(server, threadId))[0]);
    expect(approval).toMatchObject({ toolName: 'shell', arguments: { command: 'echo hi > shell.txt && echo done' }, status: 'PENDING' });
    expect(existsSync(path.join(server.workspace, 'shell.txt'))).toBe(false);

    await resolve(server, approval.id, 'APPROVE');
    const turn = await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes.map((i) => i.kind)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'COMMAND_EXECUTION', 'AGENT_MESSAGE']);
    expect(turn.items.nodes[2]).toMatchObject({ command: 'echo hi > shell.txt && echo done', exitCode: 0, status: 'COMPLETED' });
    expect(narrow(turn.items.nodes[2], 'CommandExecutionItem').output?.trim()).toBe('done');
    expect(await readFile(path.join(server.workspace, 'shell.txt'), 'utf8')).toBe('hi\n');
  });

  it('read-only tools never ask', async () => {
    const threadId = await createThread(server);
    fake.script({ kind: 'stream', chunks: [{ toolCalls: [{ id: 'call_ls', name: 'list_dir', arguments: '{}' }] }] }, textReply('Empty.'));
    const started = await startTurn(server, { threadId, prompt: 'List' });
    expect((await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id)).status).toBe('COMPLETED');
    expect((await threadEvents(server, threadId)).some((e) => e.name.startsWith('approval.'))).toBe(false);
  });
});

describe('resolveApproval errors', () => {
  it('resolving twice is a CONFLICT and does not change the first decision', async () => {
    const threadId = await createThread(server);
    const { turnId, approval } = await turnWaitingForApproval(server, threadId);
    expect((await resolve(server, approval.id, 'DENY')).__typename).toBe('ResolveApprovalPayload');

    const again = await resolve(server, approval.id, 'APPROVE');
    expect(again).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(narrow(again, 'ConflictError').message).toMatch(/already DENIED/);
    await waitForTurnEnd(server, turnId);
    expect(codeOf(await resolve(server, approval.id, 'DENY'))).toBe('CONFLICT');
    expect(await approvalNode(server, approval.id)).toMatchObject({ status: 'DENIED' });
    expect(existsSync(path.join(server.workspace, 'out.txt'))).toBe(false);
    const resolvedEvents = (await threadEvents(server, threadId)).filter((e) => e.name === 'approval.resolved');
    expect(resolvedEvents).toHaveLength(1);
  });

  it('two concurrent decisions: exactly one wins, the other is a CONFLICT', async () => {
    const threadId = await createThread(server);
    const { turnId, approval } = await turnWaitingForApproval(server, threadId);
    const results = await Promise.all([resolve(server, approval.id, 'APPROVE'), resolve(server, approval.id, 'DENY')]);
    expect(results.map((r) => r.__typename).sort()).toEqual(['ConflictError', 'ResolveApprovalPayload']);
    const winner = narrow(
      results.find((r) => r.__typename === 'ResolveApprovalPayload'),
      'ResolveApprovalPayload',
    ).approval.status;
    await waitForTurnEnd(server, turnId);
    expect(existsSync(path.join(server.workspace, 'out.txt'))).toBe(winner === 'APPROVED');
    expect((await threadEvents(server, threadId)).filter((e) => e.name === 'approval.resolved')).toHaveLength(1);
  });

  it('an unknown approval id is NOT_FOUND; a malformed one, or an id of another kind, is VALIDATION', async () => {
    expect(await resolve(server, newId('approval'), 'APPROVE')).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await resolve(server, 'not-an-id', 'APPROVE')).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    expect(await resolve(server, 'appr_123', 'DENY')).toMatchObject({ code: 'VALIDATION' });
    const threadId = await createThread(server);
    expect(await resolve(server, threadId, 'APPROVE')).toMatchObject({ code: 'VALIDATION' });
  });

  it('pendingApprovals of an unknown or malformed thread id is empty', async () => {
    expect(await pendingApprovals(server, newId('thread'))).toEqual([]);
    expect(await pendingApprovals(server, 'nonsense')).toEqual([]);
  });
});

describe('remember', () => {
  it('APPROVE with remember turns on thread.autoApprove; a later turn writes without asking', async () => {
    const threadId = await createThread(server);
    const first = await turnWaitingForApproval(server, threadId, 'first.txt', '1\n');
    const result = await resolve(server, first.approval.id, 'APPROVE', true);
    expect(narrow(result, 'ResolveApprovalPayload').approval.status).toBe('APPROVED');
    expect((await waitForTurnEnd(server, first.turnId)).status).toBe('COMPLETED');

    expect((await threadState(server, threadId)).autoApprove).toBe(true);
    let events = await threadEvents(server, threadId);
    expect(events.find((e) => e.name === 'approval.resolved')!.payload).toMatchObject({ status: 'APPROVED', remember: true });
    expect(events.find((e) => e.name === 'thread.updated')!.payload).toMatchObject({ changed: ['autoApprove'], autoApprove: true });

    const second = writeCall('second.txt', '2\n');
    fake.script(second.reply, textReply('Second done.'));
    const started = await startTurn(server, { threadId, prompt: 'Write another' });
    const turn = await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes.map((i) => i.kind)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'FILE_CHANGE', 'AGENT_MESSAGE']);
    expect(await readFile(path.join(server.workspace, 'second.txt'), 'utf8')).toBe('2\n');
    events = await threadEvents(server, threadId);
    expect(events.filter((e) => e.name === 'approval.required')).toHaveLength(1);
  });

  it('APPROVE with remember also covers the rest of the same turn', async () => {
    const threadId = await createThread(server);
    const first = writeCall('a.txt', 'a\n');
    const second = writeCall('b.txt', 'b\n');
    fake.script(first.reply, second.reply, textReply('Both written.'));
    const started = await startTurn(server, { threadId, prompt: 'Write two files' });
    const approval = await waitFor(async () => (await pendingApprovals(server, threadId))[0], 5000, 'a pending approval');
    await resolve(server, approval.id, 'APPROVE', true);
    const turn = await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(await readFile(path.join(server.workspace, 'b.txt'), 'utf8')).toBe('b\n');
    expect((await threadEvents(server, threadId)).filter((e) => e.name === 'approval.required')).toHaveLength(1);
  });

  it('DENY with remember changes nothing on the thread', async () => {
    const threadId = await createThread(server);
    const { turnId, approval } = await turnWaitingForApproval(server, threadId);
    expect(narrow(await resolve(server, approval.id, 'DENY', true), 'ResolveApprovalPayload').approval.status).toBe('DENIED');
    await waitForTurnEnd(server, turnId);
    expect((await threadState(server, threadId)).autoApprove).toBe(false);
    expect((await threadEvents(server, threadId)).some((e) => e.name === 'thread.updated')).toBe(false);
  });
});

describe('expiry', () => {
  it('an approval nobody answers EXPIRES: the tool does not run and the turn completes', async () => {
    const short = await startServer({ approvalTimeoutMs: 300 });
    const threadId = await createThread(short);
    const { turnId, approval, callId } = await turnWaitingForApproval(short, threadId, 'late.txt');
    expect(Date.parse(approval.expiresAt) - Date.parse(approval.createdAt)).toBe(300);

    const turn = await waitForTurnEnd(short, turnId);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes.map((i) => i.kind)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'AGENT_MESSAGE']);
    expect(turn.items.nodes[1]).toMatchObject({ status: 'FAILED', output: EXPIRED_OUTPUT });
    expect(existsSync(path.join(short.workspace, 'late.txt'))).toBe(false);
    expect(fake.requests.at(-1)!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: callId, content: EXPIRED_OUTPUT });

    expect(await approvalNode(short, approval.id)).toMatchObject({ status: 'EXPIRED' });
    expect(await pendingApprovals(short, threadId)).toEqual([]);
    const events = await threadEvents(short, threadId);
    expect(events.find((e) => e.name === 'approval.resolved')!.payload).toMatchObject({ approvalId: approval.id, status: 'EXPIRED' });

    // Too late to approve it now.
    expect(await resolve(short, approval.id, 'APPROVE')).toMatchObject({ code: 'CONFLICT' });
    expect(existsSync(path.join(short.workspace, 'late.txt'))).toBe(false);
    await removeDir(short.dataDir);
    await removeDir(short.workspace);
  });
});

describe('interrupting a turn that waits for an approval', () => {
  it('the turn ends INTERRUPTED at once and the approval EXPIRES; approving it afterwards is a CONFLICT', async () => {
    const threadId = await createThread(server);
    const { turnId, approval } = await turnWaitingForApproval(server, threadId, 'never.txt');

    const t0 = Date.now();
    const r = await mutate(server, InterruptTurnDocument, { turnId });
    expect(r).toMatchObject({ __typename: 'InterruptTurnPayload', turn: { id: turnId, status: 'INTERRUPTED' } });
    expect(Date.now() - t0).toBeLessThan(2000);

    const turn = await turnState(server, turnId);
    expect(turn.status).toBe('INTERRUPTED');
    expect(turn.items.nodes.map((i) => [i.kind, i.status])).toEqual([
      ['USER_MESSAGE', 'COMPLETED'],
      ['TOOL_CALL', 'INTERRUPTED'],
    ]);
    expect(await approvalNode(server, approval.id)).toMatchObject({ status: 'EXPIRED' });
    expect(await pendingApprovals(server, threadId)).toEqual([]);
    const events = await threadEvents(server, threadId);
    const resolved = events.filter((e) => e.name === 'approval.resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.payload).toMatchObject({ status: 'EXPIRED' });
    expect(events.at(-1)).toMatchObject({ name: 'turn.completed', payload: { status: 'INTERRUPTED' } });

    expect(await resolve(server, approval.id, 'APPROVE')).toMatchObject({ code: 'CONFLICT' });
    expect(existsSync(path.join(server.workspace, 'never.txt'))).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('approvals are durable', () => {
  it('a server restart ends the waiting turn INTERRUPTED and its approval EXPIRED', async () => {
    const threadId = await createThread(server);
    const { turnId, approval } = await turnWaitingForApproval(server, threadId, 'restart.txt');

    const restarted = await server.restart();
    toClose.push(restarted);
    const turn = await turnState(restarted, turnId);
    expect(turn.status).toBe('INTERRUPTED');
    // An orderly shutdown interrupts the turn itself (a crash leaves it to recovery: see the next test).
    expect(turn.error).toBe('Interrupted by server shutdown');
    expect(await approvalNode(restarted, approval.id)).toMatchObject({ status: 'EXPIRED' });
    expect(await pendingApprovals(restarted, threadId)).toEqual([]);
    expect(await resolve(restarted, approval.id, 'APPROVE')).toMatchObject({ code: 'CONFLICT' });
    expect(existsSync(path.join(restarted.workspace, 'restart.txt'))).toBe(false);

    // The thread is usable again.
    fake.script(textReply('Back.'));
    const next = await startTurn(restarted, { threadId, prompt: 'Still there?' });
    expect((await waitForTurnEnd(restarted, narrow(next, 'StartTurnPayload').turn.id)).status).toBe('COMPLETED');
  });

  it('after a crash (no orderly shutdown) the reopened store expires the approval and interrupts the turn "by process restart"', async () => {
    // A server of its own, with a short approval timeout: its abandoned turn's timer then fires soon, against
    // the closed store, and fails quietly.
    const crashed = await startServer({ approvalTimeoutMs: 1500 });
    toClose.splice(toClose.indexOf(crashed), 1);
    const threadId = await createThread(crashed);
    const { turnId, approval } = await turnWaitingForApproval(crashed, threadId, 'crash.txt');

    // Simulate the process dying: stop serving and close the store without ending the running turn.
    await crashed.app.stop();
    await crashed.runtime.store.close();
    const reopened = await startServer({}, crashed);

    const turn = await turnState(reopened, turnId);
    expect(turn).toMatchObject({ status: 'INTERRUPTED', error: RESTART_ERROR });
    expect(RESTART_ERROR).toBe('Interrupted by process restart');
    expect(turn.items.nodes.map((i) => [i.kind, i.status])).toEqual([
      ['USER_MESSAGE', 'COMPLETED'],
      ['TOOL_CALL', 'INTERRUPTED'],
    ]);
    const stored = await approvalNode(reopened, approval.id);
    expect(stored).toMatchObject({ status: 'EXPIRED' });
    expect(await pendingApprovals(reopened)).toEqual([]);
    expect(await resolve(reopened, approval.id, 'APPROVE')).toMatchObject({ code: 'CONFLICT' });

    const events = await threadEvents(reopened, threadId);
    expect(events.find((e) => e.name === 'approval.resolved')!.payload).toMatchObject({ approvalId: approval.id, status: 'EXPIRED' });
    expect(events.find((e) => e.name === 'turn.completed')!.payload).toMatchObject({ status: 'INTERRUPTED', error: RESTART_ERROR });
    const th = await threadState(reopened, threadId);
    expect({ status: th.status, activeTurn: th.activeTurn }).toEqual({ status: 'IDLE', activeTurn: null });
    expect(existsSync(path.join(reopened.workspace, 'crash.txt'))).toBe(false);
    await reopened.close();
    await removeDir(crashed.dataDir);
    await removeDir(crashed.workspace);
  });
});
