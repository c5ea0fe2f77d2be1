import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../src/server/config.js';
import { OpenAIEngine } from '../src/engine/openaiEngine.js';
import { startFakeProvider, textReply, type FakeProvider, type RecordedRequest, type Reply } from './support/fakeProvider.js';
import { removeDir, startTestServer, tempDir, type TestServer } from './support/harness.js';
import { createThread, narrow, startTurn, threadEvents, turnState, waitForTurnEnd, type TurnItem, type TurnState } from './support/ops.js';
import { ThreadDocument, type StartTurnInput } from '../sdk/generated/graphql.js';
import { defined } from '../src/domain/defined.js';

// Turns run by the real OpenAI engine against the fake provider: tool calls scripted by the "model", run by the
// runtime over real HTTP, checked in the stored items, the events, the provider's recorded requests and on disk.

let fake: FakeProvider;
let server: TestServer;
const extraDirs: string[] = [];

async function startServer(engineOptions: { maxSteps?: number } = {}, config: Partial<ServerConfig> = {}): Promise<TestServer> {
  return startTestServer({ engine: new OpenAIEngine({ baseURL: fake.baseURL, apiKey: 'test', retryBaseMs: 10, ...engineOptions }), config });
}

beforeEach(async () => {
  fake = await startFakeProvider();
  server = await startServer();
});

afterEach(async () => {
  await server.close();
  await fake.close();
  await removeDir(server.workspace);
  await removeDir(server.dataDir);
  for (const dir of extraDirs.splice(0)) await removeDir(dir);
});

let callCounter = 0;

/** A model reply that calls one tool. */
function toolReply(name: string, args: unknown): Reply {
  return { kind: 'stream', chunks: [{ toolCalls: [{ id: `call_${++callCounter}`, name, arguments: JSON.stringify(args) }] }] };
}

/** Runs one turn to its end and returns its final state. */
async function runTurn(threadId: string, prompt: string, extra: Partial<StartTurnInput> = {}, timeoutMs?: number) {
  const started = await startTurn(server, { threadId, prompt, ...extra });
  expect(started.__typename, JSON.stringify(started)).toBe('StartTurnPayload');
  return waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id, timeoutMs);
}

function kinds(turn: TurnState): string[] {
  return turn.items.nodes.map((i) => i.kind);
}

const toolCall = (item: TurnItem | undefined) => narrow(item, 'ToolCallItem');

function toolMessages(req: RecordedRequest) {
  return req.messages.filter((m) => m.role === 'tool');
}

function toolNames(req: RecordedRequest): string[] {
  return (req.tools ?? []).map((t) => (t as { function: { name: string } }).function.name);
}

async function threadFields(threadId: string) {
  const { thread } = await server.sdk.request(ThreadDocument, { id: threadId });
  return thread!;
}

describe('read-only tools in a turn', () => {
  it('read_file: a TOOL_CALL item with name, arguments and output, then the answer; the result goes back to the model', async () => {
    await writeFile(path.join(server.workspace, 'notes.txt'), 'alpha\nbeta\ngamma\n');
    fake.script(toolReply('read_file', { path: 'notes.txt' }), textReply('The file has three lines.'));
    const threadId = await createThread(server);
    const turn = await runTurn(threadId, 'What is in notes.txt?');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'AGENT_MESSAGE']);
    const tool = toolCall(turn.items.nodes[1]);
    const answer = narrow(turn.items.nodes[2], 'AgentMessageItem');
    expect(tool).toMatchObject({ __typename: 'ToolCallItem', status: 'COMPLETED', toolName: 'read_file', arguments: { path: 'notes.txt' } });
    expect(tool.output).toBe('     1\talpha\n     2\tbeta\n     3\tgamma');
    expect(answer).toMatchObject({ __typename: 'AgentMessageItem', status: 'COMPLETED', text: 'The file has three lines.' });

    expect(fake.requests).toHaveLength(2);
    // The first request ends with the prompt; the second carries the assistant's call and the tool result.
    expect(fake.requests[0]?.messages.at(-1)).toMatchObject({ role: 'user', content: 'What is in notes.txt?' });
    const second = defined(fake.requests[1], 'the second request').messages;
    const assistant = second.find((m) => m.role === 'assistant');
    expect(assistant?.tool_calls).toEqual([
      { id: `call_${callCounter}`, type: 'function', function: { name: 'read_file', arguments: '{"path":"notes.txt"}' } },
    ]);
    expect(second.at(-1)).toEqual({ role: 'tool', tool_call_id: `call_${callCounter}`, content: tool.output });

    // The events tell the same story, in order.
    const events = await threadEvents(server, threadId);
    const itemEvents = events.filter((e) => e.name === 'item.started' || e.name === 'item.completed' || e.name === 'item.failed');
    expect(itemEvents.map((e) => `${e.name}:${e.payload.kind}`)).toEqual([
      'item.started:USER_MESSAGE',
      'item.completed:USER_MESSAGE',
      'item.started:TOOL_CALL',
      'item.completed:TOOL_CALL',
      'item.started:AGENT_MESSAGE',
      'item.completed:AGENT_MESSAGE',
    ]);
    expect(events.at(-1)).toMatchObject({ name: 'turn.completed', payload: { status: 'COMPLETED' } });
  });

  it('list_dir and search_files: outputs list the workspace and the matches', async () => {
    await mkdir(path.join(server.workspace, 'src'));
    await writeFile(path.join(server.workspace, 'src', 'main.ts'), 'export const answer = 42;\n// TODO: more\n');
    await writeFile(path.join(server.workspace, 'README.md'), '# Demo\nTODO: docs\n');
    fake.script(
      { kind: 'stream', chunks: [{ toolCalls: [{ id: 'call_ls', name: 'list_dir', arguments: '{}' }] }] },
      toolReply('search_files', { pattern: 'TODO' }),
      textReply('Two TODOs.'),
    );
    const threadId = await createThread(server);
    const turn = await runTurn(threadId, 'Find the TODOs');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'TOOL_CALL', 'AGENT_MESSAGE']);
    const ls = toolCall(turn.items.nodes[1]);
    const search = toolCall(turn.items.nodes[2]);
    const answer = narrow(turn.items.nodes[3], 'AgentMessageItem');
    expect(ls).toMatchObject({ toolName: 'list_dir', status: 'COMPLETED', arguments: {} });
    expect(ls.output).toBe('.: 2 entries\nfile     README.md\ndir      src/');
    expect(search).toMatchObject({ toolName: 'search_files', status: 'COMPLETED', arguments: { pattern: 'TODO' } });
    expect(search.output).toBe('README.md:2: TODO: docs\nsrc/main.ts:2: // TODO: more');
    expect(answer.text).toBe('Two TODOs.');

    expect(fake.requests).toHaveLength(3);
    expect(toolMessages(defined(fake.requests[1], 'request 1'))).toEqual([{ role: 'tool', tool_call_id: 'call_ls', content: ls.output }]);
    expect(toolMessages(defined(fake.requests[2], 'request 2')).map((m) => m.content)).toEqual([ls.output, search.output]);
  });

  it('a turn of three tool rounds stores its items in order, and each request carries all earlier results', async () => {
    await writeFile(path.join(server.workspace, 'a.txt'), 'A\n');
    await writeFile(path.join(server.workspace, 'b.txt'), 'B\n');
    fake.script(
      toolReply('list_dir', {}),
      toolReply('read_file', { path: 'a.txt' }),
      toolReply('read_file', { path: 'b.txt' }),
      textReply('Done reading.'),
    );
    const threadId = await createThread(server);
    const turn = await runTurn(threadId, 'Read everything');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'TOOL_CALL', 'TOOL_CALL', 'AGENT_MESSAGE']);
    expect(turn.items.nodes.slice(1, 4).map((i) => [toolCall(i).toolName, toolCall(i).arguments])).toEqual([
      ['list_dir', {}],
      ['read_file', { path: 'a.txt' }],
      ['read_file', { path: 'b.txt' }],
    ]);
    expect(narrow(turn.items.nodes.at(-1), 'AgentMessageItem').text).toBe('Done reading.');
    expect(fake.requests.map((r) => toolMessages(r).length)).toEqual([0, 1, 2, 3]);
    expect(toolMessages(defined(fake.requests[3], 'request 3')).map((m) => m.content)).toEqual(
      turn.items.nodes.slice(1, 4).map((i) => toolCall(i).output),
    );
    // Items of the turn are listed in creation order: ids ascend.
    const ids = turn.items.nodes.map((i) => i.id);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('workspace escapes', () => {
  it.each([
    ['a relative path climbing out', 'read_file', { path: '../outside' }],
    ['an absolute path', 'read_file', { path: '/etc/passwd' }],
    ['list_dir of the parent', 'list_dir', { path: '..' }],
    ['search_files of an absolute path', 'search_files', { pattern: 'root', path: '/etc' }],
  ])('%s is refused: the TOOL_CALL fails, the model sees why, the turn completes', async (_label, tool, args) => {
    fake.script(toolReply(tool, args), textReply('I cannot read that.'));
    const threadId = await createThread(server);
    const turn = await runTurn(threadId, 'Read outside');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'AGENT_MESSAGE']);
    const call = toolCall(turn.items.nodes[1]);
    expect(call).toMatchObject({ status: 'FAILED', toolName: tool, arguments: args });
    expect(call.output).toMatch(/is outside the workspace; only paths inside the workspace are allowed/);
    expect(call.output).not.toMatch(/root:/);
    expect(toolMessages(defined(fake.requests[1], 'request 1'))).toEqual([expect.objectContaining({ content: call.output })]);

    const events = await threadEvents(server, threadId);
    expect(events.find((e) => e.itemId === call.id && e.name === 'item.failed')?.payload).toMatchObject({ kind: 'TOOL_CALL', status: 'FAILED' });
  });

  it('a symlink inside the workspace that points outside is refused, for reading and for writing', async () => {
    const outside = await tempDir('zagens-outside-');
    extraDirs.push(outside);
    await writeFile(path.join(outside, 'secret.txt'), 'TOP SECRET\n');
    await symlink(outside, path.join(server.workspace, 'link'));
    await symlink(path.join(outside, 'secret.txt'), path.join(server.workspace, 'secret-link.txt'));

    fake.script(
      toolReply('read_file', { path: 'link/secret.txt' }),
      toolReply('read_file', { path: 'secret-link.txt' }),
      toolReply('write_file', { path: 'link/planted.txt', content: 'pwned' }),
      textReply('Refused.'),
    );
    const threadId = await createThread(server, { autoApprove: true });
    const turn = await runTurn(threadId, 'Follow the link');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'TOOL_CALL', 'TOOL_CALL', 'AGENT_MESSAGE']);
    for (const call of turn.items.nodes.slice(1, 4).map(toolCall)) {
      expect(call.status).toBe('FAILED');
      expect(call.output).toMatch(/outside the workspace/);
      expect(call.output).not.toContain('TOP SECRET');
    }
    expect(existsSync(path.join(outside, 'planted.txt'))).toBe(false);
    expect(JSON.stringify(fake.requests.map((r) => r.messages))).not.toContain('TOP SECRET');
  });
});

describe('write tools with autoApprove', () => {
  it('write_file adds a file: FILE_CHANGE item with path, ADD and the diff; the file is on disk', async () => {
    fake.script(toolReply('write_file', { path: 'docs/hello.md', content: '# Hello\nworld\n' }), textReply('Written.'));
    const threadId = await createThread(server, { autoApprove: true });
    const turn = await runTurn(threadId, 'Write a hello doc');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'FILE_CHANGE', 'AGENT_MESSAGE']);
    const call = toolCall(turn.items.nodes[1]);
    const change = narrow(turn.items.nodes[2], 'FileChangeItem');
    expect(call).toMatchObject({ toolName: 'write_file', status: 'COMPLETED', arguments: { path: 'docs/hello.md' } });
    expect(change).toMatchObject({ __typename: 'FileChangeItem', status: 'COMPLETED', path: 'docs/hello.md', changeKind: 'ADD' });
    expect(change.diff).toBe('--- /dev/null\n+++ b/docs/hello.md\n@@ -0,0 +1,2 @@\n+# Hello\n+world\n');
    expect(await readFile(path.join(server.workspace, 'docs/hello.md'), 'utf8')).toBe('# Hello\nworld\n');
    expect(toolMessages(defined(fake.requests[1], 'request 1'))[0]?.content).toBe(call.output);

    // No approval was asked.
    const events = await threadEvents(server, threadId);
    expect(events.some((e) => e.name.startsWith('approval.'))).toBe(false);
  });

  it('apply_patch updates a file: FILE_CHANGE UPDATE with its diff, the file changed', async () => {
    const file = path.join(server.workspace, 'app.txt');
    await writeFile(file, 'one\ntwo\nthree\n');
    const patch = '--- a/app.txt\n+++ b/app.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n';
    fake.script(toolReply('apply_patch', { patch }), textReply('Patched.'));
    const threadId = await createThread(server, { autoApprove: true });
    const turn = await runTurn(threadId, 'Capitalise two');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'FILE_CHANGE', 'AGENT_MESSAGE']);
    const call = toolCall(turn.items.nodes[1]);
    const change = narrow(turn.items.nodes[2], 'FileChangeItem');
    expect(call).toMatchObject({ toolName: 'apply_patch', status: 'COMPLETED', output: 'applied the patch:\nM app.txt' });
    expect(change).toMatchObject({ path: 'app.txt', changeKind: 'UPDATE', status: 'COMPLETED' });
    expect(change.diff).toContain('-two\n+TWO');
    expect(await readFile(file, 'utf8')).toBe('one\nTWO\nthree\n');
  });

  it('a patch that does not apply fails the TOOL_CALL, changes nothing, and the turn completes', async () => {
    const file = path.join(server.workspace, 'app.txt');
    await writeFile(file, 'one\ntwo\n');
    const patch = '--- a/app.txt\n+++ b/app.txt\n@@ -1,2 +1,2 @@\n one\n-zwei\n+TWO\n';
    fake.script(toolReply('apply_patch', { patch }), textReply('It did not apply.'));
    const threadId = await createThread(server, { autoApprove: true });
    const turn = await runTurn(threadId, 'Patch');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'AGENT_MESSAGE']);
    expect(turn.items.nodes[1]?.status).toBe('FAILED');
    expect(toolCall(turn.items.nodes[1]).output).toMatch(/does not apply to app.txt/);
    expect(await readFile(file, 'utf8')).toBe('one\ntwo\n');
  });
});

describe('the shell', () => {
  it('is offered only when the thread allows it, or the turn overrides it', async () => {
    const closed = await createThread(server);
    const open = await createThread(server, { allowShell: true });
    await runTurn(closed, 'hi');
    await runTurn(open, 'hi');
    await runTurn(closed, 'hi again', { allowShell: true });
    await runTurn(open, 'hi again', { allowShell: false });

    expect(fake.requests).toHaveLength(4);
    const [closedReq, openReq, overrideOn, overrideOff] = fake.requests.map(toolNames);
    expect(closedReq).toEqual(['read_file', 'list_dir', 'search_files', 'write_file', 'apply_patch', 'update_checklist', 'update_plan']);
    expect(openReq).toContain('shell');
    expect(overrideOn).toContain('shell');
    expect(overrideOff).not.toContain('shell');
  });

  it('a shell call on a thread without the shell fails and runs nothing', async () => {
    fake.script(toolReply('shell', { command: 'touch ran.txt' }), textReply('No shell.'));
    const threadId = await createThread(server, { autoApprove: true });
    const turn = await runTurn(threadId, 'Run it');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'AGENT_MESSAGE']);
    expect(turn.items.nodes[1]).toMatchObject({ status: 'FAILED', toolName: 'shell' });
    expect(toolCall(turn.items.nodes[1]).output).toMatch(/shell is not enabled/);
    expect(existsSync(path.join(server.workspace, 'ran.txt'))).toBe(false);
  });

  it('with allowShell (turn override) and autoApprove: a COMMAND_EXECUTION item with command, exit code and output', async () => {
    await writeFile(path.join(server.workspace, 'data.txt'), 'x\ny\nz\n');
    fake.script(
      toolReply('shell', { command: 'wc -l < data.txt && echo made > made.txt' }),
      toolReply('shell', { command: 'echo oops >&2; exit 3' }),
      textReply('Ran both.'),
    );
    const threadId = await createThread(server, { autoApprove: true });
    const turn = await runTurn(threadId, 'Count lines', { allowShell: true });

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'COMMAND_EXECUTION', 'TOOL_CALL', 'COMMAND_EXECUTION', 'AGENT_MESSAGE']);
    const call1 = toolCall(turn.items.nodes[1]);
    const cmd1 = narrow(turn.items.nodes[2], 'CommandExecutionItem');
    const call2 = toolCall(turn.items.nodes[3]);
    const cmd2 = narrow(turn.items.nodes[4], 'CommandExecutionItem');
    expect(call1).toMatchObject({ toolName: 'shell', status: 'COMPLETED' });
    expect(cmd1).toMatchObject({
      __typename: 'CommandExecutionItem',
      status: 'COMPLETED',
      command: 'wc -l < data.txt && echo made > made.txt',
      exitCode: 0,
    });
    expect(cmd1.output?.trim()).toBe('3');
    expect(await readFile(path.join(server.workspace, 'made.txt'), 'utf8')).toBe('made\n');
    expect(call1.output).toContain('3');

    expect(cmd2).toMatchObject({ command: 'echo oops >&2; exit 3', exitCode: 3, status: 'FAILED' });
    expect(cmd2.output).toContain('oops');
    // The model is told the exit code.
    expect(call2.output).toMatch(/3/);
    expect(toolMessages(defined(fake.requests[2], 'request 2')).map((m) => m.content)).toEqual([call1.output, call2.output]);
  });

  it('without trust mode refuses `curl http://x`: the TOOL_CALL fails, nothing runs, no approval is asked', async () => {
    fake.script(toolReply('shell', { command: 'touch ran.txt && curl http://x' }), textReply('Refused.'));
    const threadId = await createThread(server, { allowShell: true });
    const turn = await runTurn(threadId, 'Fetch it');

    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'AGENT_MESSAGE']);
    const call = toolCall(turn.items.nodes[1]);
    expect(call).toMatchObject({ status: 'FAILED', toolName: 'shell' });
    expect(call.output).toMatch(/^command refused: curl: network access is not allowed in this sandbox/);
    expect(existsSync(path.join(server.workspace, 'ran.txt'))).toBe(false);
    expect(toolMessages(defined(fake.requests[1], 'request 1'))[0]?.content).toBe(call.output);
    const events = await threadEvents(server, threadId);
    expect(events.some((e) => e.name === 'approval.required')).toBe(false);
  });
});

describe('checklist and plan', () => {
  it('update_checklist and update_plan set Thread.checklist / Thread.plan and announce thread.updated', async () => {
    const items = [
      { text: 'read the code', done: true },
      { text: 'fix the bug', done: false },
    ];
    const steps = [
      { step: 'Investigate', status: 'completed' },
      { step: 'Patch', status: 'in_progress' },
    ];
    fake.script(toolReply('update_checklist', { items }), toolReply('update_plan', { steps }), textReply('Planned.'));
    const threadId = await createThread(server);
    const before = await threadFields(threadId);
    expect(before.checklist).toBeNull();
    expect(before.plan).toBeNull();

    const turn = await runTurn(threadId, 'Plan the work');
    expect(turn.status).toBe('COMPLETED');
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'TOOL_CALL', 'AGENT_MESSAGE']);
    expect(turn.items.nodes[1]).toMatchObject({ toolName: 'update_checklist', status: 'COMPLETED', output: 'checklist updated (2 items)' });
    expect(turn.items.nodes[2]).toMatchObject({ toolName: 'update_plan', status: 'COMPLETED', output: 'plan updated (2 steps)' });

    const thread = await threadFields(threadId);
    expect(thread.checklist).toEqual(items);
    expect(thread.plan).toEqual(steps);

    const events = await threadEvents(server, threadId);
    const updates = events.filter((e) => e.name === 'thread.updated');
    expect(updates).toHaveLength(2);
    expect(updates[0]).toMatchObject({ turnId: turn.id, payload: { changed: ['checklist'], checklist: items } });
    expect(updates[1]).toMatchObject({ turnId: turn.id, payload: { changed: ['plan'], plan: steps } });
    // Announced between the tool call's start and its end.
    const call = toolCall(turn.items.nodes[1]);
    const seqOf = (pred: (e: (typeof events)[number]) => boolean) => events.find(pred)!.seq;
    expect(updates[0]?.seq).toBeGreaterThan(seqOf((e) => e.name === 'item.started' && e.itemId === call.id));
    expect(updates[0]?.seq).toBeLessThan(seqOf((e) => e.name === 'item.completed' && e.itemId === call.id));
  });

  it('invalid checklist arguments fail the call and leave the checklist alone', async () => {
    fake.script(toolReply('update_checklist', { items: [{ text: '', done: 'yes' }] }), textReply('Oops.'));
    const threadId = await createThread(server);
    const turn = await runTurn(threadId, 'Plan');
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes[1]?.status).toBe('FAILED');
    expect(toolCall(turn.items.nodes[1]).output).toMatch(/^invalid arguments for update_checklist/);
    expect((await threadFields(threadId)).checklist).toBeNull();
  });

  it('oversized checklists and plans (5 MB, too many entries, long entries) fail with a clear tool error; the state and the log keep the last good one', async () => {
    const good = [{ text: 'small', done: false }];
    const huge = [{ text: 'x'.repeat(5 * 1024 * 1024), done: false }];
    const many = Array.from({ length: 101 }, (_, i) => ({ text: `item ${i}`, done: false }));
    const long = [{ text: 'y'.repeat(501), done: true }];
    const longStep = [{ step: 'z'.repeat(501), status: 'pending' }];
    fake.script(
      toolReply('update_checklist', { items: good }),
      toolReply('update_checklist', { items: huge }),
      toolReply('update_checklist', { items: many }),
      toolReply('update_checklist', { items: long }),
      toolReply('update_plan', { steps: longStep }),
      textReply('Done.'),
    );
    const threadId = await createThread(server);
    // 5 MB of streamed arguments take seconds on a loaded machine: wait for the end, however long.
    const turn = await runTurn(threadId, 'Plan big', {}, 120_000);
    expect(turn.status).toBe('COMPLETED');
    const calls = turn.items.nodes.filter((n) => n.kind === 'TOOL_CALL').map(toolCall);
    expect(calls.map((c) => c.status)).toEqual(['COMPLETED', 'FAILED', 'FAILED', 'FAILED', 'FAILED']);
    expect(calls[1]?.output).toMatch(/^the arguments of update_checklist are \d+ bytes, more than 65536/);
    expect(calls[2]?.output).toBe('invalid arguments for update_checklist: items: at most 100 items');
    expect(calls[3]?.output).toBe('invalid arguments for update_checklist: items.0.text: at most 500 characters');
    expect(calls[4]?.output).toBe('invalid arguments for update_plan: steps.0.step: at most 500 characters');
    const thread = await threadFields(threadId);
    expect(thread.checklist).toEqual(good);
    expect(thread.plan).toBeNull();
    // Only the good update was written as state.
    const updates = (await threadEvents(server, threadId)).filter((e) => e.name === 'thread.updated');
    expect(updates.map((e) => e.payload.checklist)).toEqual([good]);
  }, 150_000);
});

describe('the step bound', () => {
  it('an engine with maxSteps 2 stops a model that keeps calling tools: a STATUS item, the turn COMPLETED', async () => {
    await server.close();
    server = await startServer({ maxSteps: 2 });
    let n = 0;
    fake.scriptFn(() => toolReply('list_dir', { path: `.` + '/'.repeat(++n % 2) }));
    const threadId = await createThread(server);
    const turn = await runTurn(threadId, 'Loop forever');

    expect(turn.status).toBe('COMPLETED');
    expect(fake.requests).toHaveLength(2);
    expect(kinds(turn)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'TOOL_CALL', 'STATUS']);
    const status = narrow(turn.items.nodes.at(-1), 'StatusItem');
    expect(status).toMatchObject({ __typename: 'StatusItem', status: 'COMPLETED' });
    expect(status.message).toBe('Stopped after 2 tool steps (the step limit)');
    const state = await turnState(server, turn.id);
    expect(state.error).toBeNull();
  });

  it('the server setting --max-steps bounds the turn when the engine sets none', async () => {
    await server.close();
    server = await startServer({}, { maxSteps: 3 });
    fake.scriptFn(() => toolReply('list_dir', { path: '.' }));
    const turn = await runTurn(await createThread(server), 'Loop forever');
    expect(fake.requests).toHaveLength(3);
    expect(narrow(turn.items.nodes.at(-1), 'StatusItem').message).toBe('Stopped after 3 tool steps (the step limit)');
  });
});
