import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase } from './postgres-cluster.ts';

describe('test PostgreSQL cluster', () => {
  it('serves PostgreSQL 15 with a fresh database per caller', async () => {
    const url = await createDatabase(inject('postgresUrl'), 'support_cluster_test');
    expect(new URL(url).pathname).toBe('/support_cluster_test');

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string; db: string }>(
        'select version() as version, current_database() as db',
      );
      expect(rows[0]?.version).toContain('PostgreSQL 15');
      expect(rows[0]?.db).toBe('support_cluster_test');
    } finally {
      await client.end();
    }
  });

  it('re-creating a database gives an empty one', async () => {
    const base = inject('postgresUrl');
    const first = await createDatabase(base, 'support_cluster_recreate');
    const client = new pg.Client({ connectionString: first });
    await client.connect();
    await client.query('create table leftover (id int)');
    await client.end();

    const second = await createDatabase(base, 'support_cluster_recreate');
    const again = new pg.Client({ connectionString: second });
    await again.connect();
    try {
      const { rows } = await again.query("select to_regclass('leftover') as t");
      expect(rows[0]?.t).toBeNull();
    } finally {
      await again.end();
    }
  });

  it('rejects database names that would need quoting', async () => {
    await expect(createDatabase(inject('postgresUrl'), 'Bad"Name')).rejects.toThrow(/invalid database name/);
  });
});
