import { OpenAIEngine } from '../../src/engine/openaiEngine.js';
import { startFakeProvider, type FakeProvider } from './fakeProvider.js';
import { startTestServer, type TestServer, type TestServerOptions } from './harness.js';

export interface ProviderServer {
  fake: FakeProvider;
  server: TestServer;
  close(): Promise<void>;
}

/** The fake provider and a test server whose openai engine talks to it (no retries, short backoff). */
export async function startProviderServer(options: Omit<TestServerOptions, 'engine'> = {}, fake?: FakeProvider): Promise<ProviderServer> {
  const provider = fake ?? (await startFakeProvider());
  const server = await startTestServer({
    ...options,
    engine: new OpenAIEngine({ baseURL: provider.baseURL, apiKey: 'test', retryBaseMs: 10, maxRetries: 0 }),
  });
  return {
    fake: provider,
    server,
    async close() {
      await server.close();
      if (!fake) await provider.close();
    },
  };
}
