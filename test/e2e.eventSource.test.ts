/**
 * A browser's own EventSource (headless Chromium, from npm) following a turn over SSE with a plain GET: no CSRF
 * header, no custom header at all, as any web page would write it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { launchChromium } from './support/browser.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { createThread, startedTurn, threadEvents } from './support/ops.js';

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer({ engine: new OfflineEngine(20) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('EventSource in Chromium', () => {
  it('follows a thread over GET until turn.completed, then closes it', { timeout: 60_000 }, async () => {
    const threadId = await createThread(server);
    const page = await browser.newPage();
    try {
      await page.goto(new URL('/health', server.url).href); // a page of the server's origin
      const received = page.evaluate(
        ({ threadId }) =>
          new Promise<{ names: string[]; seqs: number[] }>((resolve, reject) => {
            const query = 'subscription($t: ID!) { threadEvents(threadId: $t, sinceSeq: 0) { seq name } }';
            const url = `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify({ t: threadId }))}`;
            const source = new EventSource(url);
            const names: string[] = [];
            const seqs: number[] = [];
            source.addEventListener('next', (event) => {
              const { data } = JSON.parse((event as MessageEvent).data);
              names.push(data.threadEvents.name);
              seqs.push(data.threadEvents.seq);
              if (data.threadEvents.name === 'turn.completed') {
                source.close();
                resolve({ names, seqs });
              }
            });
            source.onerror = () => {
              source.close();
              reject(new Error(`EventSource failed after ${names.length} events (readyState ${source.readyState})`));
            };
            (window as unknown as { ready: boolean }).ready = true;
          }),
        { threadId },
      );
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      await startedTurn(server, { threadId, prompt: 'Hello from EventSource' });
      const { names, seqs } = await received;
      expect(names).toContain('turn.started');
      expect(names.filter((n) => n === 'item.delta').length).toBeGreaterThan(1);
      expect(names.at(-1)).toBe('turn.completed');
      const stored = (await threadEvents(server, threadId)).map((e) => e.seq);
      expect(seqs).toEqual(stored.slice(0, seqs.length));
    } finally {
      await page.close();
    }
  });
});
