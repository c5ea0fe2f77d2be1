import { DEFAULT_PAGE, type Page, type PageArgs } from '../paging.js';

/** Runs one parameterised query and returns its rows. */
export type Query = <R>(text: string, values: unknown[]) => Promise<R[]>;

export interface PagedTable {
  /** FROM clause (a table name). */
  from: string;
  /** The column the connection is ordered by, ascending; its value is the cursor. */
  key: string;
  /** The column holding the record. */
  record: string;
  /** Extra WHERE condition on `values` ($1.. are taken by it). */
  where: string;
  values: unknown[];
  /** The list runs from the highest key down (its `after` is a smaller key). */
  descending?: boolean;
}

/**
 * One Relay page over an ordered key column, with the same semantics as the LevelDB store's range paging
 * (paging.ts `pageRange`): `first` then `last`, `after`/`before` as bounds on the key, and the side not paged
 * towards answered by one EXISTS query. With `descending` every comparison and the order are mirrored.
 */
export async function pageSql<T>(query: Query, table: PagedTable, args: PageArgs): Promise<Page<T>> {
  const backward = args.first == null && args.last != null;
  const want = backward ? args.last! : (args.first ?? DEFAULT_PAGE);
  const desc = table.descending === true;
  const [beyond, behind] = desc ? ['<', '>'] : ['>', '<'];
  const values = [...table.values];
  const conditions = [table.where];
  if (args.after != null) {
    values.push(args.after);
    conditions.push(`${table.key} ${beyond} $${values.length}`);
  }
  if (args.before != null) {
    values.push(args.before);
    conditions.push(`${table.key} ${behind} $${values.length}`);
  }
  values.push(want + 1);
  const rows = await query<{ cursor: string; value: T }>(
    `SELECT ${table.key} AS cursor, ${table.record} AS value FROM ${table.from} WHERE ${conditions.join(' AND ')}
     ORDER BY ${table.key} ${backward !== desc ? 'DESC' : 'ASC'} LIMIT $${values.length}`,
    values,
  );
  const more = rows.length > want;
  if (more) rows.pop();
  if (backward) rows.reverse();

  let hasNextPage = backward ? false : more;
  let hasPreviousPage = backward ? more : false;
  if (!backward && args.after != null) hasPreviousPage = await anyRow(query, table, desc ? '>=' : '<=', args.after);
  if (backward && args.before != null) hasNextPage = await anyRow(query, table, desc ? '<=' : '>=', args.before);
  if (!backward && args.last != null && rows.length > args.last) {
    rows.splice(0, rows.length - args.last);
    hasPreviousPage = true;
  }
  return { entries: rows, hasNextPage, hasPreviousPage };
}

async function anyRow(query: Query, table: PagedTable, op: '<=' | '>=', bound: string): Promise<boolean> {
  const values = [...table.values, bound];
  const rows = await query(`SELECT 1 FROM ${table.from} WHERE ${table.where} AND ${table.key} ${op} $${values.length} LIMIT 1`, values);
  return rows.length > 0;
}
