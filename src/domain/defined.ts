/** The value, or a clear error naming what was missing: for lookups whose presence the surrounding code guarantees. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal error: ${what} is missing`);
  return value;
}
