import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DENIED_OUTPUT } from '../src/engine/toolRunner.js';
import { parseMcpConfig, McpConfigError } from '../src/engine/mcp/config.js';
import { textReply, type FakeProvider, type Reply } from './support/fakeProvider.js';
import { tempDir, waitFor, type TestServer } from './support/harness.js';
import { startMcpHttpServer, type McpHttpServer } from './support/mcpServer.js';
import { startProviderServer, type ProviderServer } from './support/providerServer.js';
import {
  createThread,
  narrow,
  resolveApproval,
  startTurn,
  startedTurn,
  threadEvents,
  turnState,
  waitForTurnEnd,
  type SdkServer,
} from './support/ops.js';
import { McpServersDocument } from '../sdk/generated/graphql.js';

// MCP servers as tool providers: a real MCP server written with the SDK (test/support/mcpServer.ts), over stdio
// (a child process) and streamable HTTP, configured with --mcp-config like an operator would.

const MCP_SERVER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'mcpServer.ts');

function call(name: string, args: unknown, id = `call_${name}`): Reply {
  return { kind: 'stream', chunks: [{ toolCalls: [{ id, name, arguments: JSON.stringify(args) }] }] };
}

async function mcpServers(server: SdkServer) {
  return (await server.sdk.request(McpServersDocument)).mcpServers;
}

async function status(server: SdkServer, name: string) {
  const found = (await mcpServers(server)).find((s) => s.name === name);
  if (!found) throw new Error(`no MCP server ${name}`);
  return found;
}

/** The turn's MCP call, with the fields of an MCP item only (compared whole). */
async function mcpItem(server: SdkServer, turnId: string) {
  const turn = await turnState(server, turnId);
  const {
    kind,
    status,
    toolName,
    server: mcpServer,
    tool,
    arguments: args,
    output,
    isError,
  } = narrow(
    turn.items.nodes.find((n) => n.kind === 'MCP_TOOL_CALL'),
    'McpToolCallItem',
  );
  return { kind, status, toolName, server: mcpServer, tool, arguments: args, output, isError };
}

describe('MCP servers as tool providers', () => {
  let env: ProviderServer;
  let fake: FakeProvider;
  let server: TestServer;
  let remote: McpHttpServer;
  beforeAll(async () => {
    remote = await startMcpHttpServer();
    const dir = await tempDir('zagens-mcp-');
    const file = path.join(dir, 'mcp.json');
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: {
          local: { command: process.execPath, args: ['--import', 'tsx', MCP_SERVER_SCRIPT, '--stdio'], env: { MCP_LABEL: 'local' } },
          remote: { url: remote.url, trust: 'trusted' },
        },
      }),
    );
    env = await startProviderServer({ config: { mcpConfig: file } });
    ({ fake, server } = env);
  });
  afterAll(async () => {
    await env.close();
    await remote.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('connects both servers at start, reports them, and offers their tools under the server prefix', async () => {
    const servers = await mcpServers(server);
    expect(servers).toEqual([
      expect.objectContaining({ name: 'local', transport: 'STDIO', state: 'READY', trusted: false, restarts: 0, lastError: null }),
      expect.objectContaining({ name: 'remote', transport: 'HTTP', state: 'READY', trusted: true }),
    ]);
    expect(servers[0]?.tools.map((t) => t.name)).toEqual(['local__echo', 'local__add', 'local__fail', 'local__crash']);

    const threadId = await createThread(server);
    fake.script(textReply('hi'));
    const t = await startTurn(server, { threadId, prompt: 'which tools?' });
    await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    const offered = (fake.requests[0]?.tools as { function: { name: string; parameters: any } }[]).map((d) => d.function);
    expect(offered.map((f) => f.name)).toEqual(expect.arrayContaining(['read_file', 'local__echo', 'remote__add']));
    expect(offered.find((f) => f.name === 'remote__add')!.parameters).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
    });
  });

  it("a trusted server's tool runs without approval and its call is a typed MCP item", async () => {
    const threadId = await createThread(server);
    fake.script(call('remote__echo', { text: 'hello' }), textReply('done'));
    const t = await startTurn(server, { threadId, prompt: 'echo hello' });
    expect((await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id)).status).toBe('COMPLETED');
    expect(await mcpItem(server, narrow(t, 'StartTurnPayload').turn.id)).toEqual({
      kind: 'MCP_TOOL_CALL',
      status: 'COMPLETED',
      toolName: 'remote__echo',
      server: 'remote',
      tool: 'echo',
      arguments: { text: 'hello' },
      output: 'http echo: hello',
      isError: false,
    });
    expect(fake.requests[1]?.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_remote__echo', content: 'http echo: hello' });
    expect((await threadEvents(server, threadId)).some((e) => e.name === 'approval.required')).toBe(false);
  });

  it("an untrusted server's tool waits for approval: approved it runs, denied it does not", async () => {
    const threadId = await createThread(server);
    fake.script(call('local__add', { a: 2, b: 3 }), textReply('five'));
    const t = await startTurn(server, { threadId, prompt: 'add' });
    const required = await waitFor(
      async () => (await threadEvents(server, threadId)).find((e) => e.name === 'approval.required'),
      10_000,
      'approval',
    );
    expect(required.payload).toMatchObject({ toolName: 'local__add', arguments: { a: 2, b: 3 }, reason: 'MCP server local' });
    const approve = await resolveApproval(server, { approvalId: required.payload.approvalId, decision: 'APPROVE' });
    expect(approve.__typename).toBe('ResolveApprovalPayload');
    await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(await mcpItem(server, narrow(t, 'StartTurnPayload').turn.id)).toMatchObject({ status: 'COMPLETED', output: '5', isError: false });

    fake.script(call('local__echo', { text: 'x' }), textReply('ok'));
    const denied = await startTurn(server, { threadId, prompt: 'echo' });
    const second = await waitFor(
      async () => (await threadEvents(server, threadId)).filter((e) => e.name === 'approval.required')[1],
      10_000,
      'second approval',
    );
    await resolveApproval(server, { approvalId: second.payload.approvalId, decision: 'DENY' });
    await waitForTurnEnd(server, narrow(denied, 'StartTurnPayload').turn.id);
    expect(await mcpItem(server, narrow(denied, 'StartTurnPayload').turn.id)).toMatchObject({
      status: 'FAILED',
      output: DENIED_OUTPUT,
      isError: true,
    });
  });

  it('a tool error result is a FAILED item the model reads; bad arguments are refused by the server', async () => {
    const threadId = await createThread(server);
    fake.script(call('remote__fail', {}), textReply('it failed'), call('remote__add', { a: 'two' }), textReply('bad args'));
    const t = await startTurn(server, { threadId, prompt: 'fail' });
    await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(await mcpItem(server, narrow(t, 'StartTurnPayload').turn.id)).toMatchObject({
      status: 'FAILED',
      output: 'this tool always fails',
      isError: true,
    });
    const bad = await startTurn(server, { threadId, prompt: 'add badly' });
    expect((await waitForTurnEnd(server, narrow(bad, 'StartTurnPayload').turn.id)).status).toBe('COMPLETED');
    expect(await mcpItem(server, narrow(bad, 'StartTurnPayload').turn.id)).toMatchObject({
      status: 'FAILED',
      isError: true,
      output: expect.stringMatching(/Invalid arguments for tool add/),
    });
    expect((await status(server, 'remote')).state).toBe('READY');
  });

  it('a stdio server that crashes mid-call is reported, restarted, and its tools work again; the runtime stays up', async () => {
    const threadId = await createThread(server);
    fake.script(call('local__crash', {}), textReply('it crashed'));
    const t = await startTurn(server, { threadId, prompt: 'crash', autoApprove: true });
    expect((await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id, 20_000)).status).toBe('COMPLETED');
    expect(await mcpItem(server, narrow(t, 'StartTurnPayload').turn.id)).toMatchObject({
      status: 'FAILED',
      isError: true,
      output: expect.stringMatching(/local failed during the call.*being restarted/),
    });

    const back = await waitFor(
      async () => {
        const s = await status(server, 'local');
        return s.state === 'READY' && s.restarts >= 1 ? s : null;
      },
      20_000,
      'local to be restarted',
    );
    expect(back.lastError).toMatch(/closed|failed/);
    expect(back.tools).toHaveLength(4);

    fake.script(call('local__echo', { text: 'again' }), textReply('fine'));
    const next = await startedTurn(server, { threadId, prompt: 'echo again', autoApprove: true });
    await waitForTurnEnd(server, next.id);
    expect(await mcpItem(server, next.id)).toMatchObject({ status: 'COMPLETED', output: 'local echo: again' });
    const health = await fetch(server.url.replace('/graphql', '/health'));
    expect(health.status).toBe(200);
  });

  it('an HTTP server that goes away is reported and reconnected when it is back', async () => {
    const port = remote.port;
    await remote.close();
    const threadId = await createThread(server);
    fake.script(call('remote__echo', { text: 'anyone?' }), textReply('no answer'));
    const t = await startTurn(server, { threadId, prompt: 'echo' });
    await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(await mcpItem(server, narrow(t, 'StartTurnPayload').turn.id)).toMatchObject({
      status: 'FAILED',
      isError: true,
      output: expect.stringMatching(/remote failed during the call/),
    });
    const down = await status(server, 'remote');
    expect(down.state).not.toBe('READY');
    expect(down.lastError).toEqual(expect.any(String));

    remote = await startMcpHttpServer(port);
    await waitFor(async () => (await status(server, 'remote')).state === 'READY', 30_000, 'remote to reconnect');
    fake.script(call('remote__echo', { text: 'back' }), textReply('ok'));
    const again = await startTurn(server, { threadId, prompt: 'echo' });
    await waitForTurnEnd(server, narrow(again, 'StartTurnPayload').turn.id);
    expect(await mcpItem(server, narrow(again, 'StartTurnPayload').turn.id)).toMatchObject({ status: 'COMPLETED', output: 'http echo: back' });
  });
});

describe('MCP config', () => {
  it('reads the mcpServers format with trust, and names what is wrong', () => {
    expect(
      parseMcpConfig({
        mcpServers: { a: { command: 'node', args: ['x.js'], env: { K: 'v' } }, b: { type: 'http', url: 'http://127.0.0.1:1/mcp', trust: 'trusted' } },
      }),
    ).toEqual([
      { name: 'a', transport: 'STDIO', command: 'node', args: ['x.js'], env: { K: 'v' }, trusted: false },
      { name: 'b', transport: 'HTTP', url: 'http://127.0.0.1:1/mcp', headers: {}, trusted: true },
    ]);
    expect(() => parseMcpConfig({ servers: {} })).toThrow(McpConfigError);
    expect(() => parseMcpConfig({ mcpServers: { 'bad name': { command: 'x' } } })).toThrow(/server name/);
    expect(() => parseMcpConfig({ mcpServers: { a: { url: 'ftp://x' } } })).toThrow(/mcpServers\.a/);
    expect(() => parseMcpConfig({ mcpServers: { a: { command: 'x', trust: 'maybe' } } })).toThrow(/mcpServers\.a/);
  });
});
