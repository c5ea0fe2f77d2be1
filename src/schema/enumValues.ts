/**
 * Pothos enum values from a domain `as const` array (src/domain/enums.ts): the values and their order come from
 * the array, and the description table must name every value, so adding one to the domain is a compile error here
 * until it is described.
 */
export function enumValues<T extends string>(values: readonly T[], descriptions: Record<T, string>): Record<T, { description: string }> {
  return Object.fromEntries(values.map((value) => [value, { description: descriptions[value] }])) as Record<T, { description: string }>;
}

/** The same for lower-case domain values shown as upper-case GraphQL names (`minimal` → `MINIMAL`). */
export function upperCaseEnumValues<T extends string>(
  values: readonly T[],
  descriptions: Record<T, string>,
): { [V in T as Uppercase<V>]: { value: V; description: string } } {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), { value, description: descriptions[value] }])) as {
    [V in T as Uppercase<V>]: { value: V; description: string };
  };
}
