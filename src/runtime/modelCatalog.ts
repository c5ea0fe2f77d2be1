import type { Engine, ProviderModel } from '../engine/types.js';

export interface ModelListing {
  models: ProviderModel[];
  /** When the list was fetched from the provider (null: never, successfully). */
  fetchedAt: string | null;
  /** Why the last fetch failed; the list is then the previous one (or empty). */
  error: string | null;
}

export const DEFAULT_MODEL_LIST_TTL_MS = 10 * 60_000;

/**
 * The engine's model list, fetched once and kept for `ttlMs`; a refresh fetches again. Concurrent readers share one
 * fetch. A failed fetch keeps the previous list and says why.
 */
export class ModelCatalog {
  private listing: ModelListing = { models: [], fetchedAt: null, error: null };
  private fetchedAtMs = -Infinity;
  private inFlight: Promise<ModelListing> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly ttlMs: number = DEFAULT_MODEL_LIST_TTL_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  list(refresh = false): Promise<ModelListing> {
    if (!refresh && this.listing.fetchedAt !== null && this.clock() - this.fetchedAtMs < this.ttlMs) return Promise.resolve(this.listing);
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async fetch(): Promise<ModelListing> {
    if (!this.engine.listModels) return (this.listing = { models: [], fetchedAt: null, error: `the ${this.engine.name} engine lists no models` });
    try {
      const models = await this.engine.listModels(AbortSignal.timeout(30_000));
      this.fetchedAtMs = this.clock();
      this.listing = { models, fetchedAt: new Date(this.fetchedAtMs).toISOString(), error: null };
    } catch (error) {
      this.listing = { ...this.listing, error: error instanceof Error ? error.message : String(error) };
    }
    return this.listing;
  }
}
