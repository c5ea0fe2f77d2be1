/**
 * Creates a thread, starts a turn and prints the agent's answer as it streams in, with the typed SDK.
 *
 *   npx tsx examples/run-turn.ts [url] [prompt]
 *
 * url: argv, else ZAGENS_URL, else http://127.0.0.1:4680/graphql. The auth token (when the server runs with
 * --auth-token): ZAGENS_AUTH_TOKEN. The answer goes to stdout as it arrives; ids and the outcome go to stderr.
 * Exits 0 when the turn completes, 1 when it fails or cannot run.
 *
 * In an app, import from '@zagens/sdk' instead of '../sdk/index.js'.
 */
import { CreateThreadDocument, createZagensClient, expectPayload, StartTurnDocument, textDelta } from '../sdk/index.js';

const url = process.argv[2] || process.env.ZAGENS_URL || 'http://127.0.0.1:4680/graphql';
const prompt = process.argv[3] || process.env.ZAGENS_PROMPT || 'Hello! What can you do?';

const client = createZagensClient({ url, authToken: process.env.ZAGENS_AUTH_TOKEN || undefined });

async function main(): Promise<number> {
  const { createThread } = await client.request(CreateThreadDocument, { input: { title: 'run-turn example' } });
  const { thread } = expectPayload(createThread, 'CreateThreadPayload');
  console.error(`thread ${thread.id} (model ${thread.model})`);

  const { startTurn } = await client.request(StartTurnDocument, { input: { threadId: thread.id, prompt } });
  const { turn } = expectPayload(startTurn, 'StartTurnPayload');
  console.error(`turn ${turn.id}: ${prompt}`);

  let status = 'UNKNOWN';
  let error: string | null = null;
  // From the thread's first event: what happened before the subscription started is replayed, then it goes live.
  for await (const event of client.threadEvents({
    threadId: thread.id,
    until: (e) => e.name === 'turn.completed' && e.turnId === turn.id,
    onReconnect: ({ sinceSeq }) => console.error(`\n[connection lost, resuming after seq ${sinceSeq}]`),
  })) {
    if (event.turnId !== turn.id) continue;
    const delta = textDelta(event);
    if (delta) process.stdout.write(delta);
    if (event.name === 'turn.completed') {
      const payload = event.payload as { status: string; error?: string | null };
      status = payload.status;
      error = payload.error ?? null;
    }
  }
  process.stdout.write('\n');
  console.error(`turn ${status.toLowerCase()}${error ? `: ${error}` : ''}`);
  return status === 'COMPLETED' ? 0 : 1;
}

const code = await main().catch((err: unknown) => {
  console.error(`run-turn: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
});
await client.dispose();
process.exit(code);
