/**
 * Relay: the Relay compiler (relay-compiler, the npm package's own binary) compiles Relay-style documents over
 * schema.graphql — a @refetchable fragment (which needs Node and node(id:)), @connection paging, typed errors
 * through `... on UserError`, a subscription — and the operations it generates run on the real server.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './support/harness.js';
import { createThread, startTurn, startedTurn, waitForTurnEnd } from './support/ops.js';
import { defined } from '../src/domain/defined.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

let server: TestServer;
let work: string;
let compilerOutput = '';
beforeAll(async () => {
  server = await startTestServer();
  work = await tempDir('zagens-relay-');
  await mkdir(path.join(work, 'src', '__generated__'), { recursive: true });
  await copyFile(path.join(ROOT, 'test/fixtures/relay/ThreadView.ts'), path.join(work, 'src', 'ThreadView.ts'));
  await writeFile(
    path.join(work, 'relay.config.json'),
    JSON.stringify({
      src: './src',
      schema: path.join(ROOT, 'schema.graphql'),
      language: 'typescript',
      artifactDirectory: './src/__generated__',
      customScalarTypes: { DateTime: 'string', JSON: 'unknown', SafeInt: 'number' },
    }),
  );
  const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'node_modules/relay-compiler/cli.js')], { cwd: work });
  compilerOutput = stdout + stderr;
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The operation text Relay generated for an operation (the `params.text` of its artifact). */
async function operationText(name: string): Promise<string> {
  const artifact = await readFile(path.join(work, 'src', '__generated__', `${name}.graphql.ts`), 'utf8');
  const match = /"text": ("(?:[^"\\]|\\.)*")/.exec(artifact);
  if (!match?.[1]) throw new Error(`no operation text in ${name}`);
  return JSON.parse(match[1]) as string;
}

describe('Relay compiler', () => {
  it('compiles fragments, a refetchable fragment, connections, a mutation with typed errors and a subscription', async () => {
    expect(compilerOutput).toMatch(/Compilation completed/);
    expect((await readdir(path.join(work, 'src', '__generated__'))).sort()).toEqual([
      'ThreadViewEventsSubscription.graphql.ts',
      'ThreadViewListQuery.graphql.ts',
      'ThreadViewNodesQuery.graphql.ts',
      'ThreadViewQuery.graphql.ts',
      'ThreadViewRefetchQuery.graphql.ts',
      'ThreadViewStartTurnMutation.graphql.ts',
      'ThreadView_thread.graphql.ts',
      'ThreadView_turn.graphql.ts',
    ]);
    // @refetchable on a Thread fragment refetches through node(id:), which Node types make possible.
    expect(await operationText('ThreadViewRefetchQuery')).toMatch(/node\(id: \$id\)/);
  });

  it('its generated operations run on the server: refetch through node(id:), connection pages, typed errors', async () => {
    const threadId = await createThread(server, { title: 'relay' });
    for (const prompt of ['one', 'two']) {
      const started = await startedTurn(server, { threadId, prompt });
      await waitForTurnEnd(server, started.id);
    }
    // Relay's own generated operation texts, sent as they are: whether they run on the server is the subject.
    const refetch = await server.gql(await operationText('ThreadViewRefetchQuery'), { id: threadId, count: 1 });
    expect(refetch.errors).toBeUndefined();
    expect(refetch.data.node).toMatchObject({ __typename: 'Thread', id: threadId, title: 'relay' });
    expect(refetch.data.node.turns.edges.map((e: { node: { prompt: string } }) => e.node.prompt)).toEqual(['one']);
    const { endCursor, hasNextPage } = refetch.data.node.turns.pageInfo;
    expect(hasNextPage).toBe(true);
    const next = await server.gql(await operationText('ThreadViewRefetchQuery'), { id: threadId, count: 1, cursor: endCursor });
    expect(next.data.node.turns.edges.map((e: { node: { prompt: string } }) => e.node.prompt)).toEqual(['two']);

    const refused = await server.gql(await operationText('ThreadViewStartTurnMutation'), { input: { threadId: 'thr_nope', prompt: 'x' } });
    expect(refused.data.startTurn).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });

    const nodes = await server.gql(await operationText('ThreadViewNodesQuery'), { ids: [threadId, 'turn_unknown'] });
    expect(nodes.data.nodes).toEqual([{ id: threadId, __typename: 'Thread' }, null]);
  });
});
