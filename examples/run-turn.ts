/**
 * Creates a thread, starts a turn and prints the agent's answer as it streams in, with the typed SDK.
 *
 *   npx tsx examples/run-turn.ts [url] [prompt]
 *
 * url: argv, else ZAGENS_URL, else http://127.0.0.1:4680/graphql. The auth token (when the server runs with
 * --auth-token): ZAGENS_AUTH_TOKEN. ZAGENS_TRANSPORT=sse follows the turn over SSE instead of a WebSocket. The
 * answer goes to stdout as it arrives; ids and the outcome go to stderr.
 * Exits 0 when the turn completes, 1 when it fails or cannot run.
 *
 * In an app, import from '@zagens/sdk' instead of '../sdk/index.js'.
 */
import { createZagensClient, textDelta } from '../sdk/index.js';

const url = process.argv[2] || process.env.ZAGENS_URL || 'http://127.0.0.1:4680/graphql';
const prompt = process.argv[3] || process.env.ZAGENS_PROMPT || 'Hello! What can you do?';
const transport = process.env.ZAGENS_TRANSPORT === 'sse' ? 'sse' : 'ws';

const client = createZagensClient({ url, authToken: process.env.ZAGENS_AUTH_TOKEN || undefined });

async function main(): Promise<number> {
  // Retry-safe: each sends a clientRequestId and resends it if the answer is lost or the server is overloaded.
  const { thread } = await client.createThread({ title: 'run-turn example' });
  console.error(`thread ${thread.id} (model ${thread.model})`);

  const { turn } = await client.startTurn({ threadId: thread.id, prompt });
  console.error(`turn ${turn.id}: ${prompt}`);

  let status = 'UNKNOWN';
  let error: string | null = null;
  // From the turn's first event (replayed if it came before the subscription), then live; ends after turn.completed.
  for await (const event of client.turnEvents({
    turnId: turn.id,
    names: ['item.delta', 'turn.completed'],
    transport,
    onReconnect: ({ sinceSeq }) => console.error(`\n[connection lost, resuming after seq ${sinceSeq}]`),
  })) {
    const delta = textDelta(event);
    if (delta) process.stdout.write(delta);
    if (event.name === 'turn.completed') {
      status = event.payload.status;
      error = event.payload.error ?? null;
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
