import type { PricingTable } from '../domain/pricing.js';
import type { Runtime } from './runtime.js';

/** Replaces the prices in force (null: back to the file's or the defaults); persisted in the store. */
export function setPricing(rt: Runtime, table: PricingTable | null): Promise<PricingTable> {
  // Runtime-wide: the table in memory is the one stored last.
  return rt.commands.run('runtime', async () => {
    const batch = rt.store.batch();
    if (table) batch.putMeta('pricing', table);
    else batch.deleteMeta('pricing');
    await rt.log.commit(batch, []);
    return rt.usePricing(table);
  });
}
