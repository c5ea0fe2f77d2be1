// A real MCP server written with the SDK, for tests: stdio when run as a script with --stdio, streamable HTTP
// (stateless) with startMcpHttpServer. Tools: echo, add, fail (an isError result) and, over stdio, crash (the
// process exits in the middle of the call).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export function buildMcpServer(options: { crashable: boolean; label: string }): McpServer {
  const server = new McpServer({ name: 'zagens-test-mcp', version: '1.0.0' });
  server.registerTool('echo', { description: 'Repeats the text.', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text: `${options.label} echo: ${text}` }],
  }));
  server.registerTool('add', { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));
  server.registerTool('fail', { description: 'Always fails.', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'this tool always fails' }],
    isError: true,
  }));
  if (options.crashable) {
    server.registerTool('crash', { description: 'Exits the server process.', inputSchema: {} }, async () => {
      setImmediate(() => process.exit(3));
      return new Promise(() => undefined);
    });
  }
  return server;
}

export interface McpHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Streamable HTTP on 127.0.0.1 (stateless: a new MCP server per request); `port` 0 picks one. */
export async function startMcpHttpServer(port = 0): Promise<McpHttpServer> {
  const httpServer = http.createServer((req, res) => void answer(req, res));
  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      const mcp = buildMcpServer({ crashable: false, label: 'http' });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
    }
  }
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/mcp`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}

if (process.argv.includes('--stdio')) {
  const label = process.env.MCP_LABEL ?? 'stdio';
  await buildMcpServer({ crashable: true, label }).connect(new StdioServerTransport());
}
