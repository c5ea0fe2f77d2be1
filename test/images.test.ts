import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { textReply, type FakeProvider } from './support/fakeProvider.js';
import { waitFor, type TestServer } from './support/harness.js';
import { startProviderServer, type ProviderServer } from './support/providerServer.js';
import { createThread, mutate, narrow, startTurn, startedTurn, threadEvents, turnCount, turnState, waitForTurnEnd } from './support/ops.js';
import { DeleteThreadDocument, ForkThreadDocument, ItemImagesDocument, SteerTurnDocument, type ImageInput } from '../sdk/generated/graphql.js';

// A 1×1 PNG and a tiny GIF.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1').toString('base64');

describe('image inputs', () => {
  let env: ProviderServer;
  let fake: FakeProvider;
  let server: TestServer;
  beforeAll(async () => {
    env = await startProviderServer({ runtime: { imageLimits: { maxCount: 3, maxBytes: 1024 } } });
    ({ fake, server } = env);
  });
  afterAll(() => env.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  const PNG_URL = `data:image/png;base64,${PNG}`;

  it('sends images as content parts, stores the data once, and sends them again when the conversation is rebuilt', async () => {
    const threadId = await createThread(server);
    fake.script(textReply('a red pixel'), textReply('still red'));
    const images = [{ url: 'https://example.com/cat.png' }, { data: PNG, mimeType: 'image/png' }, { data: PNG, mimeType: 'IMAGE/PNG' }];
    const t = await startedTurn(server, { threadId, prompt: 'what is this?', images });
    await waitForTurnEnd(server, t.id);
    const parts = [
      { type: 'text', text: 'what is this?' },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      { type: 'image_url', image_url: { url: PNG_URL } },
      { type: 'image_url', image_url: { url: PNG_URL } },
    ];
    expect(fake.requests[0]?.messages).toEqual([{ role: 'user', content: parts }]);

    const second = await startedTurn(server, { threadId, prompt: 'and now?' });
    await waitForTurnEnd(server, second.id);
    expect(fake.requests[1]?.messages).toEqual([
      { role: 'user', content: parts },
      { role: 'assistant', content: 'a red pixel' },
      { role: 'user', content: 'and now?' },
    ]);

    const first = (await turnState(server, t.id)).items.nodes[0];
    const { item } = await server.sdk.request(ItemImagesDocument, { id: narrow(first, 'UserMessageItem').id });
    const message = narrow(item, 'UserMessageItem');
    expect(message.images).toEqual([
      { url: 'https://example.com/cat.png', sha256: null, mimeType: null, byteSize: null, data: null },
      { url: null, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), mimeType: 'image/png', byteSize: Buffer.from(PNG, 'base64').length, data: PNG },
      expect.objectContaining({ mimeType: 'image/png', data: PNG }),
    ]);
    // The events carry no image data.
    const events = await threadEvents(server, threadId);
    expect(JSON.stringify(events)).not.toContain(PNG.slice(0, 40));
    // Stored once per thread and hash.
    const hashes = await server.runtime.store.listImageHashesOfThread(threadId);
    expect(hashes).toEqual([message.images[1]?.sha256]);
  });

  it('steered input carries its images to the next model call', async () => {
    const threadId = await createThread(server);
    fake.script(
      { kind: 'stream', chunks: [{ content: 'working' }, ...Array.from({ length: 30 }, () => ({ content: '.', delayMs: 20 }))] },
      textReply('saw the gif'),
    );
    const t = await startedTurn(server, { threadId, prompt: 'start' });
    await fake.waitForRequests(1);
    const steer = await mutate(server, SteerTurnDocument, { turnId: t.id, prompt: 'look at this', images: [{ data: GIF, mimeType: 'image/gif' }] });
    expect(steer.__typename).toBe('SteerTurnPayload');
    await waitForTurnEnd(server, t.id);
    const last = fake.requests[1]?.messages.at(-1);
    expect(last).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'look at this' },
        { type: 'image_url', image_url: { url: `data:image/gif;base64,${GIF}` } },
      ],
    });
  });

  it('bad image data is a typed VALIDATION naming the image, and nothing is stored', async () => {
    const threadId = await createThread(server);
    const big = Buffer.concat([Buffer.from(PNG, 'base64'), Buffer.alloc(2000)]).toString('base64');
    const cases: [ImageInput[], RegExp][] = [
      [[{ url: 'ftp://example.com/a.png' }], /images\.0\.url: must be an http\(s\) URL/],
      [[{ url: 'not a url' }], /images\.0\.url: not a URL/],
      [[{ data: PNG }], /images\.0\.mimeType: required with data/],
      [[{ data: PNG, mimeType: 'image/svg+xml' }], /images\.0\.mimeType: .* is not one of/],
      [[{ data: 'not base64!!', mimeType: 'image/png' }], /images\.0\.data: not valid base64/],
      [[{ data: PNG, mimeType: 'image/jpeg' }], /images\.0\.data: the bytes are not an image of type image\/jpeg/],
      [[{ data: big, mimeType: 'image/png' }], /images\.0\.data: .*over the limit of 1024/],
      [[{ url: 'https://a.example/x.png', data: PNG, mimeType: 'image/png' }], /images\.0: give either url or data/],
      [[{}], /images\.0: give either url or data/],
      [
        [
          { url: 'https://a.example/1.png' },
          { url: 'https://a.example/2.png' },
          { url: 'https://a.example/3.png' },
          { url: 'https://a.example/4.png' },
        ],
        /images: at most 3 images/,
      ],
      [[{ url: 'https://a.example/ok.png' }, { data: GIF, mimeType: 'image/png' }], /images\.1\.data/],
    ];
    for (const [images, message] of cases) {
      const r = await startTurn(server, { threadId, prompt: 'x', images });
      expect(r.__typename).toBe('ValidationError');
      expect(narrow(r, 'ValidationError').message).toMatch(message);
    }
    expect(fake.requests).toHaveLength(0);
    expect(await server.runtime.store.listImageHashesOfThread(threadId)).toEqual([]);
    expect(await turnCount(server, threadId)).toBe(0);
  });

  it('a forked thread keeps its images; deleting a thread removes its image data', async () => {
    const threadId = await createThread(server);
    fake.script(textReply('seen'), textReply('seen again'));
    const t = await startedTurn(server, { threadId, prompt: 'look', images: [{ data: PNG, mimeType: 'image/png' }] });
    await waitForTurnEnd(server, t.id);
    const forkId = narrow(await mutate(server, ForkThreadDocument, { threadId }), 'ForkThreadPayload').thread.id;
    const deleted = await mutate(server, DeleteThreadDocument, { threadId });
    expect(deleted.__typename).toBe('DeleteThreadPayload');
    expect(await server.runtime.store.listImageHashesOfThread(threadId)).toEqual([]);

    const next = await startTurn(server, { threadId: forkId, prompt: 'again' });
    await waitForTurnEnd(server, narrow(next, 'StartTurnPayload').turn.id);
    await waitFor(() => fake.requests.length >= 2);
    expect(fake.requests[1]?.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'image_url', image_url: { url: PNG_URL } },
      ],
    });
  });
});
