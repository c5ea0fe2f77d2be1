import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, migrations } from '../src/store/postgres/migrations.js';
import { useTestPostgres } from './support/postgres.js';

describe('PostgreSQL schema migrations', () => {
  const server = useTestPostgres();

  it('applies every version once, even when two nodes start together', async () => {
    const url = await server().createDatabase('migrate_twice');
    const a = new pg.Pool({ connectionString: url, max: 2 });
    const b = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const [fromA, fromB] = await Promise.all([migrate(a), migrate(b)]);
      expect([...fromA, ...fromB].sort()).toEqual(migrations.map((m) => m.version));
      expect(await migrate(a)).toEqual([]);
      const tables = await a.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rows.map((row) => row.tablename)).toEqual(
        expect.arrayContaining(['threads', 'turns', 'items', 'events', 'approvals', 'usage_rollups', 'settings', 'nodes', 'seq_counter']),
      );
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('a failing migration leaves nothing half-applied and names itself', async () => {
    const url = await server().createDatabase('migrate_bad');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const bad = [...migrations, { version: 99, name: 'broken', sql: 'CREATE TABLE half (id int); SELECT no_such_column FROM half;' }];
      await expect(migrate(pool, bad)).rejects.toThrow(/migration 99 \(broken\) failed/);
      const half = await pool.query("SELECT 1 FROM pg_tables WHERE tablename = 'half'");
      expect(half.rowCount).toBe(0);
      const versions = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.rows.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
    } finally {
      await pool.end();
    }
  });
});
