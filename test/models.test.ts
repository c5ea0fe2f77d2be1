import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeProvider } from './support/fakeProvider.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { ModelsDocument } from '../sdk/generated/graphql.js';
import { startProviderServer, type ProviderServer } from './support/providerServer.js';

/** The models query (a GraphQL error throws); each model's price by its pattern only, as compared here. */
async function modelsOf(server: TestServer, refresh?: boolean) {
  const { models } = await server.sdk.request(ModelsDocument, { refresh });
  return { ...models, models: models.models.map(({ price, ...m }) => ({ ...m, price: price && { pattern: price.pattern } })) };
}

describe('models query', () => {
  let env: ProviderServer;
  let fake: FakeProvider;
  let server: TestServer;
  beforeAll(async () => {
    env = await startProviderServer();
    ({ fake, server } = env);
  });
  afterAll(() => env.close());

  it("lists the provider's models joined with our prices and known context windows, and keeps the list", async () => {
    const first = await modelsOf(server);
    expect(first.error).toBeNull();
    expect(first.fetchedAt).toEqual(expect.any(String));
    expect(first.models).toEqual([
      {
        model: 'deepseek-v4-flash',
        ownedBy: 'deepseek',
        created: new Date(1_700_000_000_000).toISOString(),
        provider: 'deepseek',
        contextWindow: 131072,
        compactAtTokens: Math.floor(131072 * 0.8),
        price: { pattern: 'deepseek-v4-flash' },
      },
      {
        model: 'fake-vision',
        ownedBy: 'fake',
        created: new Date(1_700_000_100_000).toISOString(),
        provider: 'unknown',
        contextWindow: null,
        compactAtTokens: null,
        price: null,
      },
    ]);
    const requests = fake.modelRequests;
    await modelsOf(server);
    expect(fake.modelRequests).toBe(requests); // cached

    fake.setModels({ kind: 'models', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1, owned_by: 'openai' }] });
    const refreshed = await modelsOf(server, true);
    expect(fake.modelRequests).toBe(requests + 1);
    expect(refreshed.models.map((m) => [m.model, m.contextWindow])).toEqual([['gpt-4o-mini', 128000]]);
  });

  it('a provider error or an unreadable answer keeps the last list and says why', async () => {
    fake.setModels({ kind: 'models', data: [{ id: 'deepseek-chat', owned_by: 'deepseek', created: 2 }] });
    await modelsOf(server, true);

    fake.setModels({ kind: 'error', status: 401, message: 'bad key' });
    const failed = await modelsOf(server, true);
    expect(failed.error).toMatch(/401.*bad key/);
    expect(failed.models.map((m) => m.model)).toEqual(['deepseek-chat']);

    fake.setModels({ kind: 'raw', body: '<html>not json</html>' });
    const garbage = await modelsOf(server, true);
    expect(garbage.models.map((m) => m.model)).toEqual(['deepseek-chat']);

    // Entries of an unknown shape are left out, the rest listed.
    fake.setModels({ kind: 'models', data: [{ id: 42 }, 'text', null, { id: 'ok-model', created: 'yesterday' }] });
    const odd = await modelsOf(server, true);
    expect(odd.error).toBeNull();
    expect(odd.models).toEqual([expect.objectContaining({ model: 'ok-model', ownedBy: null, created: null })]);
  });
});

describe('models query with the offline engine', () => {
  it('lists the offline engine itself', async () => {
    const server = await startTestServer();
    try {
      const r = await modelsOf(server);
      expect(r.error).toBeNull();
      expect(r.models).toEqual([expect.objectContaining({ model: 'offline', ownedBy: 'zagens' })]);
    } finally {
      await server.close();
    }
  });
});
