/**
 * A browser's own EventSource (headless Chromium) following a turn through a relay the test cuts mid-turn: the
 * browser reconnects by itself with Last-Event-ID, and the page ends with the whole answer, no event twice.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { launchChromium } from './support/browser.js';
import { startTestServer, waitFor, type TestServer } from './support/harness.js';
import { createThread, narrow, startedTurn, threadEvents, turnState, waitForTurnEnd } from './support/ops.js';
import { startTcpProxy, type TcpProxy } from './support/tcpProxy.js';

let server: TestServer;
let proxy: TcpProxy;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer({ engine: new OfflineEngine(25) });
  proxy = await startTcpProxy(Number(new URL(server.url).port));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.close();
});

interface PageState {
  text: string;
  seqs: number[];
  ids: string[];
  errors: number;
  done: boolean;
}

describe('EventSource in Chromium across a cut connection', () => {
  it('reconnects by itself with Last-Event-ID; the page ends with the full answer and no duplicate', { timeout: 90_000 }, async () => {
    const threadId = await createThread(server);
    const page = await browser.newPage();
    try {
      await page.goto(`${proxy.origin}/health`); // a page of the server's origin, through the relay
      await page.evaluate((threadId) => {
        const state: PageState = { text: '', seqs: [], ids: [], errors: 0, done: false };
        (window as unknown as { state: PageState }).state = state;
        const query = 'subscription($t: ID!) { threadEvents(threadId: $t, sinceSeq: 0) { seq name payload } }';
        const source = new EventSource(
          `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify({ t: threadId }))}`,
        );
        source.addEventListener('next', (message) => {
          const event = JSON.parse((message as MessageEvent).data).data.threadEvents;
          state.seqs.push(event.seq);
          state.ids.push((message as MessageEvent).lastEventId);
          if (event.name === 'item.delta' && event.payload.kind === 'text') state.text += event.payload.delta;
          if (event.name === 'turn.completed') {
            state.done = true;
            source.close();
          }
        });
        // A cut connection: the EventSource reports it and reconnects on its own (readyState CONNECTING).
        source.onerror = () => void state.errors++;
      }, threadId);
      const state = () => page.evaluate(() => (window as unknown as { state: PageState }).state);
      await waitFor(async () => (await state()).seqs.length > 0, 20_000, 'thread.started in the page');
      const connectionsBefore = proxy.accepted;

      const turn = await startedTurn(server, { threadId, prompt: 'word '.repeat(150) });
      await waitFor(async () => (await state()).text.length > 0, 20_000, 'the first deltas in the page');
      const beforeCut = (await state()).seqs.length;
      proxy.cutAll();
      expect((await turnState(server, turn.id)).status).toBe('IN_PROGRESS'); // cut mid-turn
      const final = await waitFor(async () => ((await state()).done ? state() : null), 60_000, 'turn.completed in the page');
      await waitForTurnEnd(server, turn.id);

      expect(final.errors).toBeGreaterThanOrEqual(1); // it did see the cut
      expect(final.seqs.length).toBeGreaterThan(beforeCut);
      const answer = (await turnState(server, turn.id)).items.nodes.find((i) => i.kind === 'AGENT_MESSAGE');
      expect(final.text).toBe(narrow(answer, 'AgentMessageItem').text);
      expect(new Set(final.seqs).size).toBe(final.seqs.length);
      expect(final.ids).toEqual(final.seqs.map(String));
      const stored = (await threadEvents(server, threadId)).map((e) => e.seq);
      expect(final.seqs).toEqual(stored.slice(0, final.seqs.length));
      // The stream came back through a new connection of the relay, not the old one.
      expect(proxy.accepted).toBeGreaterThan(connectionsBefore);
    } finally {
      await page.close();
    }
  });
});
