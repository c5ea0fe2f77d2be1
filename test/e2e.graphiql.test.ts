/**
 * GraphiQL as a person meets it, in headless Chromium (from npm, @sparticuz/chromium, driven by playwright-core),
 * following the README's "First steps in GraphiQL" step by step: CreateThread and StartTurn in the first tab (the
 * page fills in threadId), FollowThread in the second, the answer streaming into the result pane; with a token,
 * the Docs pane once it is in the Headers. Screenshots go to test-results/.
 *
 * Every request to another host is blocked: the page must work with no CDN (the editor is self-hosted).
 * Set ZAGENS_DOCS_SCREENSHOT=1 to also refresh the README's screenshots in docs/.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, validate } from 'graphql';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { schema } from '../src/schema/index.js';
import {
  GRAPHIQL_FOLLOW_TAB,
  GRAPHIQL_FOLLOW_VARIABLES,
  GRAPHIQL_START_TAB,
  GRAPHIQL_START_VARIABLES,
  graphiqlOptions,
} from '../src/server/graphiql.js';
import { launchChromium } from './support/browser.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { agentMessage, latestTurn, type SdkServer } from './support/ops.js';
import { createZagensClient } from '../sdk/client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'test-results');

let server: TestServer;
let browser: Browser | undefined;
beforeAll(async () => {
  // Deltas slow enough that the turn is still streaming when FollowThread starts.
  server = await startTestServer({ engine: new OfflineEngine(400) });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('GraphiQL', () => {
  it('opens two tabs of valid operations, their variables, and the auth header documentation', () => {
    const operationsOf = (tab: string) => {
      expect(validate(schema, parse(tab)).map((e) => e.message)).toEqual([]);
      return [...tab.matchAll(/^(query|mutation|subscription) (\w+)/gm)].map((m) => m[2]);
    };
    const { defaultTabs } = graphiqlOptions();
    expect(defaultTabs!.map((tab) => tab.query)).toEqual([GRAPHIQL_START_TAB, GRAPHIQL_FOLLOW_TAB]);
    expect(operationsOf(GRAPHIQL_START_TAB)).toEqual(['CreateThread', 'StartTurn']);
    expect(operationsOf(GRAPHIQL_FOLLOW_TAB)).toEqual(['FollowThread', 'Thread', 'Threads']);
    expect(JSON.parse(GRAPHIQL_START_VARIABLES)).toEqual({ prompt: expect.any(String) }); // threadId: filled in by the page
    expect(JSON.parse(GRAPHIQL_FOLLOW_VARIABLES)).toEqual({ sinceSeq: 0 });
    expect(GRAPHIQL_START_TAB).toContain('{"Authorization": "Bearer <token>"}');

    expect(graphiqlOptions()).toMatchObject({ subscriptionsProtocol: 'WS', headers: undefined });
    // With auth on, subscriptions go over SSE, which carries the Headers tab; a browser WebSocket cannot.
    const authed = graphiqlOptions({ authRequired: true });
    expect(authed.subscriptionsProtocol).toBe('SSE');
    for (const tab of authed.defaultTabs!) expect(JSON.parse(tab.headers!)).toEqual({ Authorization: expect.stringMatching(/^Bearer </) });
  });

  it('serves a self-hosted page: no script or stylesheet from another origin', async () => {
    const res = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>Zagens Runtime</title>');
    const external = [...html.matchAll(/<(?:script|link)\b[^>]*>/gi)]
      .map((m) => m[0])
      .filter((tag) => /\b(?:src|href)=["']?(?:https?:)?\/\//i.test(tag));
    expect(external).toEqual([]);
  });

  it('GET / points to /graphql; the page is compressed as accepted (br, gzip, none) and revalidates with its ETag', async () => {
    const root = await rawGet(new URL('/', server.url).href, {});
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/graphql');
    const plain = await rawGet(server.url, { accept: 'text/html' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('no-cache');
    const etag = plain.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const br = await rawGet(server.url, { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await rawGet(server.url, { accept: 'text/html', 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(gz.body.length).toBeLessThan(plain.body.length / 3);
    const again = await rawGet(server.url, { accept: 'text/html', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  // The README's "First steps in GraphiQL", step by step.
  it(
    'README first steps: CreateThread, StartTurn, then FollowThread in the next tab streams the answer (headless Chromium)',
    { timeout: 120_000 },
    async () => {
      const { page, ui, blocked, pageErrors, sockets, close } = await openPage(server.url);
      expect(await ui.tabTitles()).toEqual(['CreateThread', 'FollowThread']);
      await expect.poll(() => ui.toolJson('Variables')).toEqual({ prompt: 'Hello! What can you do?' });

      // 1. In the CreateThread tab, press ▶ and pick CreateThread.
      await ui.runFromMenu('CreateThread');
      const created = await ui.waitForResult((r) => r.data?.createThread?.thread?.id);
      const thread = created.data.createThread;
      expect(thread).toMatchObject({
        __typename: 'CreateThreadPayload',
        thread: { id: expect.stringMatching(/^thr_/), title: 'My first thread', status: 'IDLE' },
      });

      // 2. Press ▶ and pick StartTurn: no id copied, the page fills in threadId.
      await ui.runFromMenu('StartTurn');
      const started = await ui.waitForResult((r) => r.data?.startTurn?.turn?.id);
      expect(started.data.startTurn).toMatchObject({ __typename: 'StartTurnPayload', turn: { status: 'IN_PROGRESS' }, queued: null });

      // GraphiQL titles a tab after the operation it ran last.
      expect(await ui.tabTitles()).toEqual(['StartTurn', 'FollowThread']);

      // 3. Open the FollowThread tab, press ▶ and pick FollowThread: replay from seq 0, then live.
      await ui.openTab('FollowThread');
      await expect.poll(() => ui.toolJson('Variables')).toEqual({ sinceSeq: 0 });
      await ui.runFromMenu('FollowThread');
      const seen = new Map<number, string>(); // seq -> the pane's text when that event was shown
      let streamingShot = false;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const text = await ui.resultViewText();
        const seq = Number(/"seq": (\d+)/.exec(text)?.[1]);
        if (seq && !seen.has(seq)) seen.set(seq, text);
        if (!streamingShot && /"name": "item\.delta"/.test(text) && /offline engine/.test(text)) {
          streamingShot = true;
          await mkdir(RESULTS, { recursive: true });
          await ui.screenshot(path.join(RESULTS, 'graphiql-streaming.png'));
        }
        if (/"name": "turn\.completed"/.test(text)) break;
        if (Date.now() > deadline) throw new Error(`turn.completed never showed in the result pane; it shows:\n${text}`);
        await page.waitForTimeout(40);
      }
      await mkdir(RESULTS, { recursive: true });
      await ui.screenshot(path.join(RESULTS, 'graphiql.png'));
      await refreshDocsScreenshot('graphiql.png');
      await refreshDocsScreenshot('graphiql-streaming.png');

      // Several deltas were shown one after the other while the turn ran, with the answer growing.
      const live = [...seen.values()].filter((text) => /"name": "item\.delta"/.test(text) && /"status": "IN_PROGRESS"/.test(text));
      expect(live.length, [...seen.values()].join('\n----\n')).toBeGreaterThanOrEqual(3);
      expect(live.some((text) => text.includes('(offline engine) You said'))).toBe(true);

      // The final result, copied from the pane: the whole answer of the thread CreateThread made, as stored.
      const final = await ui.copyResult();
      const answer = await agentAnswer(thread.thread.id);
      expect(answer).toContain('(offline engine) You said: "Hello! What can you do?"');
      expect(final.data.threadEvents).toMatchObject({
        name: 'turn.completed',
        payload: { status: 'COMPLETED' },
        turn: { id: started.data.startTurn.turn.id, status: 'COMPLETED', latestItem: { nodes: [{ kind: 'AGENT_MESSAGE', text: answer }] } },
      });

      // The subscription ran over graphql-ws from the page.
      const wsUrl = server.url.replace(/^http/, 'ws');
      expect(sockets.map((s) => s.url)).toContain(wsUrl);
      expect(sockets.find((s) => s.url === wsUrl)!.next).toBeGreaterThanOrEqual(seen.size);

      // Press ■ to stop following; ▶ again.
      await ui.stop();

      // Thread reads the thread back (threadId filled in again).
      await ui.runFromMenu('Thread');
      await expect.poll(() => ui.resultViewText()).toContain('"latestSeq"');
      const readBack = await ui.copyResult(); // longer than the pane shows
      expect(readBack.data.thread).toMatchObject({ id: thread.thread.id, title: 'My first thread', status: 'IDLE' });

      // "Set threadId in Variables to use another thread": Thread with an unknown id says so.
      await ui.replaceToolText('Variables', JSON.stringify({ threadId: 'thr_doesnotexist' }));
      await ui.runFromMenu('Thread');
      const other = await ui.waitForResult((r) => 'data' in r);
      expect(other.data.thread).toBeNull();
      expect(blocked).toEqual([]);
      expect(pageErrors).toEqual([]);
      await close();
    },
  );

  it(
    'README first steps with --auth-token: the token in the Headers, the Docs pane shows the schema, the steps work over SSE',
    { timeout: 120_000 },
    async () => {
      const secured = await startTestServer({ engine: new OfflineEngine(100), config: { authToken: 'graphiql-token' } });
      try {
        const { ui, blocked, pageErrors, sockets, close } = await openPage(secured.url);
        // The page is public; each tab's Headers show where the token goes, and without it there is no schema.
        await expect.poll(() => ui.toolJson('Headers')).toEqual({ Authorization: "Bearer <paste the server's --auth-token here>" });
        await ui.openDocs();
        await expect.poll(() => ui.docsText()).toContain('Error fetching schema');

        // Replace the placeholder with the token in the CreateThread tab's Headers: the Docs pane shows the schema.
        await ui.replaceToolText('Headers', JSON.stringify({ Authorization: 'Bearer graphiql-token' }, null, 2));
        await expect.poll(() => ui.docsText(), { timeout: 15_000 }).toContain('Root Types');
        expect(await ui.docsText()).toContain('mutation: Mutation');

        // Steps 1-3 as without a token.
        await ui.runFromMenu('CreateThread');
        const created = await ui.waitForResult((r) => r.data?.createThread?.thread?.id);
        const threadId: string = created.data.createThread.thread.id;
        await mkdir(RESULTS, { recursive: true });
        await ui.screenshot(path.join(RESULTS, 'graphiql-docs.png'));
        await refreshDocsScreenshot('graphiql-docs.png');
        await ui.runFromMenu('StartTurn');
        await ui.waitForResult((r) => r.data?.startTurn?.turn?.id);
        await ui.openTab('FollowThread'); // its Headers still hold the placeholder: the page sends the token typed above
        await ui.runFromMenu('FollowThread');
        await expect.poll(() => ui.resultViewText(), { timeout: 30_000 }).toMatch(/"name": "turn\.completed"/);

        await mkdir(RESULTS, { recursive: true });
        await ui.screenshot(path.join(RESULTS, 'graphiql-auth.png'));
        const final = await ui.copyResult();
        const withToken = { sdk: createZagensClient({ url: secured.url, authToken: 'graphiql-token' }) };
        const answer = await agentAnswer(threadId, withToken).finally(() => withToken.sdk.dispose());
        expect(answer).toContain('(offline engine) You said: "Hello! What can you do?"');
        expect(final.data.threadEvents.turn.latestItem.nodes[0].text).toBe(answer);
        expect(sockets).toEqual([]); // SSE: a browser WebSocket could not carry the header

        await ui.stop();
        expect(blocked).toEqual([]);
        expect(pageErrors).toEqual([]);
        await close();
      } finally {
        await secured.close();
      }
    },
  );
});

/** ZAGENS_DOCS_SCREENSHOT=1 copies a screenshot from test-results/ to docs/ for the README. */
async function refreshDocsScreenshot(name: string) {
  if (!process.env.ZAGENS_DOCS_SCREENSHOT) return;
  await mkdir(path.join(ROOT, 'docs'), { recursive: true });
  await copyFile(path.join(RESULTS, name), path.join(ROOT, 'docs', name));
}

/** A fresh browser profile on GraphiQL at `url`, with requests to any other origin blocked and recorded. */
async function openPage(url: string) {
  browser ??= await launchChromium();
  const origin = new URL(url).origin;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested.startsWith(origin)) return route.continue();
    blocked.push(requested);
    return route.abort();
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const sockets: { url: string; next: number }[] = [];
  page.on('websocket', (ws) => {
    const socket = { url: ws.url(), next: 0 };
    sockets.push(socket);
    ws.on('framereceived', (frame) => {
      if (String(frame.payload).includes('"type":"next"')) socket.next++;
    });
  });
  const ui = graphiql(page);
  await page.goto(url); // a browser navigation: Accept: text/html
  await ui.ready().catch((error: Error) => {
    throw new Error(
      `GraphiQL did not show its editor with the preloaded operations (${error.message}); blocked requests: ${blocked.join(', ') || 'none'}; page errors: ${pageErrors.join(' | ') || 'none'}`,
    );
  });
  return { page, ui, blocked, pageErrors, sockets, close: () => context.close() };
}

/** A GET without fetch's automatic decompression: the bytes as sent. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

async function agentAnswer(threadId: string, on: SdkServer = server): Promise<string> {
  return agentMessage(await latestTurn(on, threadId)).text;
}

/** What a person does on the page, in GraphiQL's terms (its editors are Monaco editors). */
function graphiql(page: Page) {
  const queryEditor = page.locator('.graphiql-query-editor');
  const resultPane = page.locator('.graphiql-response');
  const executeButton = page.locator('button.graphiql-execute-button');
  const visibleText = async (locator: ReturnType<Page['locator']>) => (await locator.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');

  async function paste(text: string) {
    // Pasting, as a person would: typing JSON into Monaco would add closing brackets and indentation of its own.
    await page.evaluate((value) => navigator.clipboard.writeText(value), text);
    await page.keyboard.press('Control+V');
  }

  const toolTab = (name: 'Variables' | 'Headers') => page.locator('.graphiql-editor-tools').getByRole('button', { name, exact: true });
  const visibleTool = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)');

  return {
    async ready() {
      await queryEditor.locator('.view-line', { hasText: 'Welcome to Zagens Runtime' }).waitFor({ timeout: 30_000 });
      await executeButton.waitFor();
    },
    tabTitles: async () => (await page.locator('.graphiql-tab .graphiql-tab-button').allInnerTexts()).map((t) => t.trim()),
    async openTab(title: string) {
      await page.locator('.graphiql-tab .graphiql-tab-button', { hasText: title }).click();
      await queryEditor.locator('.view-line', { hasText: title }).first().waitFor();
    },
    async openDocs() {
      await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click();
    },
    docsText: () => page.locator('.graphiql-doc-explorer').innerText(),
    /** The tab's JSON, or null while the editor is still empty or partly rendered. */
    async toolJson(tab: 'Variables' | 'Headers') {
      try {
        return JSON.parse(await this.toolText(tab));
      } catch {
        return null;
      }
    },
    async toolText(tab: 'Variables' | 'Headers') {
      await toolTab(tab).click();
      return visibleText(visibleTool);
    },
    async replaceToolText(tab: 'Variables' | 'Headers', json: string) {
      await toolTab(tab).click();
      await visibleTool.locator('.view-lines').click();
      await page.keyboard.press('Control+A');
      await paste(json);
      await expect.poll(async () => (await visibleText(visibleTool)).replace(/\s+/g, '')).toBe(json.replace(/\s+/g, ''));
    },
    async runFromMenu(operationName: string) {
      await executeButton.click();
      await page.getByRole('menuitem', { name: operationName, exact: true }).click();
    },
    /** The result pane's visible text, whitespace collapsed (long lines are wrapped on screen). */
    resultViewText: async () => (await visibleText(resultPane)).replace(/\s+/g, ' '),
    /** Waits until the result pane shows a JSON result for which `check` is truthy. */
    async waitForResult(check: (result: any) => unknown): Promise<any> {
      let last = '';
      const deadline = Date.now() + 15_000;
      for (;;) {
        last = await visibleText(resultPane);
        try {
          const result = JSON.parse(last);
          if (check(result)) return result;
        } catch {
          // not a whole JSON document yet
        }
        if (Date.now() > deadline) throw new Error(`the result pane never showed the expected result; it shows:\n${last}`);
        await page.waitForTimeout(50);
      }
    },
    /** The result pane's whole text, selected and copied as a person would, parsed. */
    async copyResult(): Promise<any> {
      await resultPane.locator('.view-lines').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Control+C');
      return JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    },
    /** The whole page as a person sees it (clicks may have scrolled the document a little). */
    async screenshot(file: string) {
      await page.evaluate(() => {
        window.scrollTo(0, 0);
        for (const element of [document.documentElement, document.body, document.querySelector('#root')]) if (element) element.scrollTop = 0;
      });
      await page.screenshot({ path: file });
    },
    async stop() {
      await expect.poll(() => executeButton.getAttribute('aria-label')).toMatch(/^Stop/);
      await executeButton.click();
      await expect.poll(() => executeButton.getAttribute('aria-label')).toMatch(/^Execute/);
    },
  };
}
