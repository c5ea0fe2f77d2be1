import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIEngine } from '../src/engine/openaiEngine.js';
import { startFakeProvider, textReply, type FakeProvider, type Reply } from './support/fakeProvider.js';
import { removeDir, startTestServer, tempDir, waitFor, type TestServer } from './support/harness.js';
import {
  createThread,
  narrow,
  pendingApprovals,
  resolveApproval,
  startTurn,
  threadState,
  waitForTurnEnd,
  type ThreadState,
  type TurnState,
} from './support/ops.js';
import { ItemDocument, RuntimeInfoDocument, UpdateThreadDocument } from '../sdk/generated/graphql.js';
import { expectPayload } from '../sdk/client.js';

// The sandbox through the real server: thread and turn policies, approvals that show and widen the policy,
// secrets of the server process, runtimeInfo, and file tools against links that sandboxed commands make.

const API_KEY = `sk-turns-test-${process.pid}-key`;
let fake: FakeProvider;
let server: TestServer;
let listener: net.Server;
let port: number;
let connections = 0;
const sockets = new Set<net.Socket>();
const extraDirs: string[] = [];

beforeAll(async () => {
  listener = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.end('hello from the host\n');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => listener.close(resolve));
});

beforeEach(async () => {
  process.env.ZAGENS_API_KEY = API_KEY; // as if the server had been started with it
  connections = 0;
  fake = await startFakeProvider();
  server = await startTestServer({
    engine: new OpenAIEngine({ baseURL: fake.baseURL, apiKey: API_KEY, retryBaseMs: 10 }),
    runtime: { approvalTimeoutMs: 60_000 },
  });
});

afterEach(async () => {
  delete process.env.ZAGENS_API_KEY;
  await server.close();
  await fake.close();
  await removeDir(server.workspace);
  await removeDir(server.dataDir);
  for (const dir of extraDirs.splice(0)) await removeDir(dir);
});

let counter = 0;
function call(name: string, args: unknown): Reply {
  return { kind: 'stream', chunks: [{ toolCalls: [{ id: `call_s${++counter}`, name, arguments: JSON.stringify(args) }] }] };
}

async function runTurn(threadId: string, prompt: string, extra: Record<string, unknown> = {}) {
  const started = await startTurn(server, { threadId, prompt, ...extra });
  expect(started.__typename, JSON.stringify(started)).toBe('StartTurnPayload');
  return waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id, 30_000);
}

const commandOf = (turn: TurnState) =>
  narrow(
    turn.items.nodes.find((i) => i.kind === 'COMMAND_EXECUTION'),
    'CommandExecutionItem',
  );
const toolOf = (turn: TurnState) =>
  narrow(
    turn.items.nodes.find((i) => i.kind === 'TOOL_CALL'),
    'ToolCallItem',
  );
/** A thread's sandbox settings and the policy they make. */
const sandboxOf = ({
  sandbox,
  networkAccess,
  trustMode,
  sandboxPolicy,
}: Pick<ThreadState, 'sandbox' | 'networkAccess' | 'trustMode' | 'sandboxPolicy'>) => ({
  sandbox,
  networkAccess,
  trustMode,
  sandboxPolicy,
});

async function pendingApproval(threadId: string) {
  return waitFor(async () => (await pendingApprovals(server, threadId))[0], 10_000, 'a pending approval');
}

describe('policies', () => {
  it('runtimeInfo says which sandbox is active; threads default to WORKSPACE_WRITE without network; trustMode is FULL_ACCESS', async () => {
    const info = (await server.sdk.request(RuntimeInfoDocument)).runtimeInfo;
    expect(info.sandbox).toMatchObject({
      available: true,
      problem: null,
      defaultPolicy: { mode: 'WORKSPACE_WRITE', networkAccess: false },
    });
    expect(info.sandbox.summary).toMatch(/^sandbox: bubblewrap/);

    const plain = await createThread(server);
    const trusted = await createThread(server, { trustMode: true });
    const readOnly = await createThread(server, { sandbox: 'READ_ONLY', networkAccess: true });
    const r = {
      a: sandboxOf(await threadState(server, plain)),
      b: sandboxOf(await threadState(server, trusted)),
      c: sandboxOf(await threadState(server, readOnly)),
    };
    expect(r.a).toEqual({
      sandbox: 'WORKSPACE_WRITE',
      networkAccess: false,
      trustMode: false,
      sandboxPolicy: { mode: 'WORKSPACE_WRITE', networkAccess: false },
    });
    expect(r.b).toEqual({
      sandbox: 'WORKSPACE_WRITE',
      networkAccess: false,
      trustMode: true,
      sandboxPolicy: { mode: 'FULL_ACCESS', networkAccess: true },
    });
    expect(r.c).toEqual({ sandbox: 'READ_ONLY', networkAccess: true, trustMode: false, sandboxPolicy: { mode: 'READ_ONLY', networkAccess: true } });

    const updated = await server.sdk.request(UpdateThreadDocument, { input: { threadId: plain, sandbox: 'FULL_ACCESS' } });
    expect(expectPayload(updated.updateThread, 'UpdateThreadPayload').thread.sandboxPolicy).toEqual({ mode: 'FULL_ACCESS', networkAccess: true });
    // An enum value the schema does not have: bad input, sent raw.
    const bad = await server.gql(`mutation { createThread(input: { sandbox: EVERYTHING }) { __typename } }`);
    expect(bad.errors?.[0]?.message).toMatch(/EVERYTHING/);
  });

  it('a command writes the workspace but not outside it, and cannot reach the host network; the item records its policy', async () => {
    const outside = await tempDir('zagens-outside-');
    extraDirs.push(outside);
    const command = `echo made > made.txt; python3 -c "open('${outside}/pwned', 'w')"; exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`;
    fake.script(call('shell', { command }), textReply('done'));
    const threadId = await createThread(server, { allowShell: true, autoApprove: true });
    const turn = await runTurn(threadId, 'go');
    const item = commandOf(turn);
    expect(item.output).toMatch(/Read-only file system|No such file/);
    expect(item.output).not.toContain('hello from the host');
    expect(await readFile(path.join(server.workspace, 'made.txt'), 'utf8')).toBe('made\n');
    expect(existsSync(path.join(outside, 'pwned'))).toBe(false);
    expect(connections).toBe(0);
    const meta = (await server.sdk.request(ItemDocument, { id: item.id })).item?.metadata as { sandbox?: unknown } | undefined;
    expect(meta?.sandbox).toEqual({ mode: 'WORKSPACE_WRITE', networkAccess: false });
  });

  it('per turn: READ_ONLY refuses workspace writes; networkAccess opens the network; FULL_ACCESS writes outside', async () => {
    const outside = await tempDir('zagens-outside-');
    extraDirs.push(outside);
    const threadId = await createThread(server, { allowShell: true, autoApprove: true });

    fake.script(call('shell', { command: 'touch ro.txt' }), textReply('done'));
    expect(commandOf(await runTurn(threadId, 'ro', { sandbox: 'READ_ONLY' })).output).toContain('Read-only file system');
    expect(existsSync(path.join(server.workspace, 'ro.txt'))).toBe(false);

    fake.script(call('shell', { command: `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3` }), textReply('done'));
    expect(commandOf(await runTurn(threadId, 'net', { networkAccess: true })).output).toContain('hello from the host');

    fake.script(call('shell', { command: `echo x > ${outside}/full.txt` }), textReply('done'));
    expect(commandOf(await runTurn(threadId, 'full', { sandbox: 'FULL_ACCESS' })).exitCode).toBe(0);
    expect(existsSync(path.join(outside, 'full.txt'))).toBe(true);
  });

  it("the server's API key is not in a command's environment nor in any /proc it can see", async () => {
    const command = `env; cat /proc/*/environ /proc/*/cmdline 2>/dev/null | tr '\\0' '\\n'; echo end`;
    fake.script(call('shell', { command }), textReply('done'));
    const threadId = await createThread(server, { allowShell: true, autoApprove: true });
    const item = commandOf(await runTurn(threadId, 'look'));
    expect(item.output).toContain('end');
    expect(item.output).not.toContain(API_KEY);
    expect(item.output).not.toContain('ZAGENS_API_KEY');
  });
});

describe('approvals show and widen the policy', () => {
  it('the approval shows the policy; APPROVE with grantNetworkAccess runs this one command with network, recorded on the approval', async () => {
    const command = `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`;
    fake.script(call('shell', { command }), call('shell', { command }), textReply('done'));
    const threadId = await createThread(server, { allowShell: true });
    const started = await startTurn(server, { threadId, prompt: 'connect twice' });

    const first = await pendingApproval(threadId);
    expect(first).toMatchObject({ toolName: 'shell', reason: null, sandbox: { mode: 'WORKSPACE_WRITE', networkAccess: false } });
    const granted = expectPayload(
      await resolveApproval(server, { approvalId: first.id, decision: 'APPROVE', grantNetworkAccess: true }),
      'ResolveApprovalPayload',
    );
    expect(granted.approval).toMatchObject({ status: 'APPROVED', grantedSandbox: { mode: 'WORKSPACE_WRITE', networkAccess: true } });

    const second = await waitFor(
      async () => {
        const a = await pendingApproval(threadId);
        return a.id !== first.id ? a : null;
      },
      10_000,
      'the second approval',
    );
    expect(
      expectPayload(await resolveApproval(server, { approvalId: second.id, decision: 'APPROVE' }), 'ResolveApprovalPayload').approval.grantedSandbox,
    ).toBeNull();

    const turn = await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id, 30_000);
    const [withNet, withoutNet] = turn.items.nodes.filter((i) => i.kind === 'COMMAND_EXECUTION').map((i) => narrow(i, 'CommandExecutionItem'));
    expect(withNet!.output).toContain('hello from the host');
    expect(withoutNet!.output).not.toContain('hello from the host');
    expect(connections).toBe(1);
  });

  it('a model asking to escalate is asked about even with autoApprove; DENY runs nothing', async () => {
    const outside = await tempDir('zagens-outside-');
    extraDirs.push(outside);
    const command = `echo x > ${outside}/escalated.txt`;
    fake.script(call('shell', { command, escalate: 'full_access', justification: 'needs to write the system config' }), textReply('ok'));
    const threadId = await createThread(server, { allowShell: true, autoApprove: true });
    const started = await startTurn(server, { threadId, prompt: 'write it' });
    const approval = await pendingApproval(threadId);
    expect(approval).toMatchObject({ reason: 'needs to write the system config', sandbox: { mode: 'FULL_ACCESS', networkAccess: true } });
    expectPayload(await resolveApproval(server, { approvalId: approval.id, decision: 'DENY' }), 'ResolveApprovalPayload');
    const turn = await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id, 30_000);
    expect(toolOf(turn).status).toBe('FAILED');
    expect(existsSync(path.join(outside, 'escalated.txt'))).toBe(false);
  });

  it('an approved escalation runs the command under the asked policy', async () => {
    fake.script(
      call('shell', { command: `curl -s http://127.0.0.1:${port}/ || (exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3)`, escalate: 'network' }),
      textReply('ok'),
    );
    const threadId = await createThread(server, { allowShell: true, autoApprove: true });
    const started = await startTurn(server, { threadId, prompt: 'fetch' });
    const approval = await pendingApproval(threadId);
    expect(approval.sandbox).toEqual({ mode: 'WORKSPACE_WRITE', networkAccess: true });
    expectPayload(await resolveApproval(server, { approvalId: approval.id, decision: 'APPROVE' }), 'ResolveApprovalPayload');
    const turn = await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id, 30_000);
    expect(commandOf(turn).output).toContain('hello from the host');
  });

  it('grants apply to shell commands only', async () => {
    fake.script(call('write_file', { path: 'a.txt', content: 'a' }), textReply('ok'));
    const threadId = await createThread(server, {});
    await startTurn(server, { threadId, prompt: 'write' });
    const approval = await pendingApproval(threadId);
    const r = await resolveApproval(server, { approvalId: approval.id, decision: 'APPROVE', grantFullAccess: true });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    expect(await pendingApprovals(server, threadId)).toHaveLength(1);
  });
});

describe('file tools against links made by sandboxed commands', () => {
  it('a hard link made by a command is neither read nor written by the file tools', async () => {
    await writeFile(path.join(server.workspace, 'original.txt'), 'original\n');
    fake.script(
      call('shell', { command: 'ln original.txt linked.txt && echo linked' }),
      call('read_file', { path: 'linked.txt' }),
      call('write_file', { path: 'original.txt', content: 'changed\n' }),
      textReply('done'),
    );
    const threadId = await createThread(server, { allowShell: true, autoApprove: true });
    const turn = await runTurn(threadId, 'link');
    const tools = turn.items.nodes.filter((i) => i.kind === 'TOOL_CALL').map((i) => narrow(i, 'ToolCallItem'));
    expect(tools[0]?.status).toBe('COMPLETED');
    expect(tools[1]).toMatchObject({ status: 'FAILED' });
    expect(tools[1]?.output).toMatch(/has 2 hard links/);
    expect(tools[2]).toMatchObject({ status: 'FAILED' });
    expect(await readFile(path.join(server.workspace, 'original.txt'), 'utf8')).toBe('original\n');
  });

  it('a symlink made by a command to a file outside is neither read nor written through', async () => {
    const outside = await tempDir('zagens-outside-');
    extraDirs.push(outside);
    await writeFile(path.join(outside, 'secret.txt'), 'secret\n');
    fake.script(
      call('shell', { command: `ln -s ${outside}/secret.txt s.txt && ln -s ${outside} dir` }),
      call('read_file', { path: 's.txt' }),
      call('write_file', { path: 'dir/new.txt', content: 'x' }),
      call('search_files', { pattern: 'secret' }),
      textReply('done'),
    );
    const threadId = await createThread(server, { allowShell: true, autoApprove: true });
    const tools = (await runTurn(threadId, 'link')).items.nodes.filter((i) => i.kind === 'TOOL_CALL').map((i) => narrow(i, 'ToolCallItem'));
    expect(tools[1]?.output).toMatch(/outside the workspace/);
    expect(tools[2]?.output).toMatch(/outside the workspace/);
    expect(tools[3]?.output).toMatch(/no matches/);
    expect(existsSync(path.join(outside, 'new.txt'))).toBe(false);
  });

  it("one thread's command replacing another thread's nested workspace with a symlink to / leaves the other thread's tools refusing", async () => {
    const nested = path.join(server.workspace, 'nested');
    await mkdir(nested);
    const outer = await createThread(server, { allowShell: true, autoApprove: true });
    const inner = await createThread(server, { allowShell: true, autoApprove: true, workspace: nested });

    fake.script(call('shell', { command: 'rm -rf nested && ln -s / nested && ls nested/etc/passwd' }), textReply('replaced'));
    const replaced = await runTurn(outer, 'replace');
    expect(commandOf(replaced).exitCode).toBe(0);

    fake.script(
      call('read_file', { path: 'etc/passwd' }),
      call('write_file', { path: 'root/pwned.txt', content: 'x' }),
      call('shell', { command: 'touch /root/pwned-by-shell' }),
      textReply('done'),
    );
    const turn = await runTurn(inner, 'read');
    const tools = turn.items.nodes.filter((i) => i.kind === 'TOOL_CALL').map((i) => narrow(i, 'ToolCallItem'));
    for (const tool of tools) {
      expect(tool.status).toBe('FAILED');
      expect(tool.output).toMatch(/now resolves to \/: a symbolic link/);
    }
    expect(existsSync('/root/pwned.txt')).toBe(false);
    expect(existsSync('/root/pwned-by-shell')).toBe(false);
  });
});
