import { readFile } from 'node:fs/promises';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../domain/errorCodes.js';

/** off: documents only (as before); allow: hashes of known documents too; only: hashes of known documents only. */
export const PERSISTED_OPERATIONS_MODES = ['off', 'allow', 'only'] as const;
export type PersistedOperationsMode = (typeof PERSISTED_OPERATIONS_MODES)[number];

/** The SDK's manifest (`npm run codegen`): `{ "sha256:<hex>": "<document>" }` for every operation in sdk/operations. */
export const SDK_PERSISTED_DOCUMENTS = new URL('../../sdk/generated/persisted-documents.json', import.meta.url);

interface OperationParams {
  query?: string | null;
  documentId?: unknown;
  extensions?: Record<string, unknown> | null;
}

const ONLY = (id: string | null) =>
  new GraphQLError(
    id
      ? 'this server runs only persisted operations (--persisted-operations only): send the hash alone, without `query`'
      : "this server runs only persisted operations (--persisted-operations only): send a document's hash as `extensions.persistedQuery.sha256Hash` (or `documentId`) instead of `query`",
    { extensions: { code: 'PERSISTED_QUERY_ONLY' satisfies ErrorCode, http: { status: 400 } } },
  );
const NOT_FOUND = (id: string) =>
  new GraphQLError(
    `no persisted operation has the hash ${JSON.stringify(id.slice(0, 80))}: the server knows the documents of its SDK's persisted-documents.json`,
    {
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' satisfies ErrorCode, http: { status: 400 } },
    },
  );
const ID_REQUIRED = () =>
  new GraphQLError("send `query`, or a persisted document's hash as `extensions.persistedQuery.sha256Hash` or `documentId`", {
    extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' satisfies ErrorCode, http: { status: 400 } },
  });

/**
 * The documents a server runs by hash. Hashes are the codegen's sha256 of each document, accepted as
 * `sha256:<hex>` or `<hex>`, in Apollo's `extensions.persistedQuery.sha256Hash` or as `documentId`.
 */
export class PersistedOperations {
  private constructor(
    readonly mode: Exclude<PersistedOperationsMode, 'off'>,
    private readonly documents: ReadonlyMap<string, string>,
  ) {}

  /** null for `off`; else the manifest at `file` (default: the SDK's), which must be a JSON object of strings. */
  static async load(mode: PersistedOperationsMode, file: string | URL = SDK_PERSISTED_DOCUMENTS): Promise<PersistedOperations | null> {
    if (mode === 'off') return null;
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        `--persisted-operations ${mode}: cannot read the persisted documents ${String(file)} (${error.code ?? error.message}); run \`npm run codegen\` or pass --persisted-operations-file`,
      );
    });
    const manifest = JSON.parse(text) as unknown;
    if (typeof manifest !== 'object' || manifest === null || Object.values(manifest).some((v) => typeof v !== 'string')) {
      throw new Error(`--persisted-operations-file ${String(file)}: expected a JSON object of hash -> document`);
    }
    const documents = new Map(Object.entries(manifest as Record<string, string>).map(([hash, document]) => [bareHash(hash), document]));
    return new PersistedOperations(mode, documents);
  }

  get size(): number {
    return this.documents.size;
  }

  /** The hash a request names, if any. */
  static idOf(params: OperationParams): string | null {
    if (typeof params.documentId === 'string' && params.documentId) return params.documentId;
    const persisted = params.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
    return typeof persisted?.sha256Hash === 'string' && persisted.sha256Hash ? persisted.sha256Hash : null;
  }

  lookup(id: string): string | null {
    return this.documents.get(bareHash(id)) ?? null;
  }

  /** Yoga's persisted-operations plugin for GraphQL over HTTP and SSE. */
  yogaPlugin(): Plugin {
    return usePersistedOperations({
      allowArbitraryOperations: this.mode === 'allow',
      extractPersistedOperationId: (params) => PersistedOperations.idOf(params as OperationParams),
      getPersistedOperation: (id) => this.lookup(id),
      customErrors: {
        persistedQueryOnly: (payload) => ONLY(PersistedOperations.idOf(payload.params as OperationParams)),
        notFound: (payload) => NOT_FOUND(PersistedOperations.idOf(payload.params as OperationParams) ?? ''),
        keyNotFound: () => ID_REQUIRED(),
      },
    }) as Plugin;
  }

  /**
   * The same rules for graphql-ws (whose operations do not pass Yoga's params hooks): the document to run, or
   * the error refusing the operation. graphql-ws requires a `query` string: a hash-only operation sends `""`.
   */
  resolve(params: OperationParams): { query: string } | { error: GraphQLError } {
    const id = PersistedOperations.idOf(params);
    if (params.query) {
      if (this.mode === 'only') return { error: overWs(ONLY(id)) };
      return { query: params.query };
    }
    if (!id) return { error: overWs(ID_REQUIRED()) };
    const query = this.lookup(id);
    return query ? { query } : { error: overWs(NOT_FOUND(id)) };
  }
}

/** The same error without its HTTP status (Yoga removes it from HTTP responses; graphql-ws would send it). */
function overWs(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.extensions.code } });
}

function bareHash(id: string): string {
  return id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
}
