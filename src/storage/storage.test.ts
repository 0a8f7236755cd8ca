import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../test/support/databases.ts';
import type { OpenDatabase } from './database.ts';
import { isSchemaCurrent, migrateToLatest } from './migrate.ts';
import { findLiveTokenOwner, insertApiToken } from './repositories/api-token.repository.ts';
import { findOrCreateOrganisation, findOrganisation } from './repositories/organisation.repository.ts';
import {
  findProjectBySlug,
  insertPolicyRevision,
  insertProject,
  listPolicyRevisions,
  updateProjectPolicyRevision,
} from './repositories/project.repository.ts';
import { expireUnusedSetupTokens, insertSetupToken, lockLiveSetupToken, markSetupTokenUsed } from './repositories/setup-token.repository.ts';
import { countUsers, insertUser } from './repositories/user.repository.ts';
import { isUniqueViolation } from './errors.ts';

describe.each(databaseKinds)('storage on %s', (kind) => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());

  it('is fully migrated, and migrating again changes nothing', async () => {
    expect(await isSchemaCurrent(database.db)).toBe(true);
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  it('keeps a single organisation', async () => {
    const first = await findOrCreateOrganisation(database.db, 'Acme');
    const again = await findOrCreateOrganisation(database.db, 'Other');
    expect(again.id).toBe(first.id);
    const duplicate = await database.db.insertInto('organisation').values({ name: 'Second' }).execute().catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
  });

  it('stores projects with numbered policy revisions and returns the current one', async () => {
    const org = await findOrCreateOrganisation(database.db, 'Acme');
    const project = await insertProject(database.db, { organisationId: org.id, slug: 'widget', name: 'Widget' });
    await insertPolicyRevision(database.db, { projectId: project.id, revision: 1, policyYaml: 'v: 1', policy: { tags: ['a', 'b'] }, createdBy: null });
    await insertPolicyRevision(database.db, { projectId: project.id, revision: 2, policyYaml: 'v: 2', policy: { tags: ['c'] }, createdBy: null });
    await updateProjectPolicyRevision(database.db, project.id, 2, 'Widget 2');

    const found = await findProjectBySlug(database.db, 'widget');
    expect(found).toMatchObject({ name: 'Widget 2', policy_revision: 2, policy_yaml: 'v: 2', policy: { tags: ['c'] } });
    expect((await listPolicyRevisions(database.db, project.id)).map((r) => r.revision)).toEqual([1, 2]);
    expect(await findProjectBySlug(database.db, 'missing')).toBeUndefined();
  });

  it('refuses a duplicate slug, a duplicate revision and a malformed slug', async () => {
    const org = await findOrCreateOrganisation(database.db, 'Acme');
    const project = await insertProject(database.db, { organisationId: org.id, slug: 'gadget', name: 'Gadget' });
    const dupSlug = await insertProject(database.db, { organisationId: org.id, slug: 'gadget', name: 'Again' }).catch((e: unknown) => e);
    expect(isUniqueViolation(dupSlug)).toBe(true);
    await insertPolicyRevision(database.db, { projectId: project.id, revision: 1, policyYaml: 'x', policy: {}, createdBy: null });
    const dupRevision = await insertPolicyRevision(database.db, { projectId: project.id, revision: 1, policyYaml: 'y', policy: {}, createdBy: null }).catch((e: unknown) => e);
    expect(isUniqueViolation(dupRevision)).toBe(true);
    await expect(insertProject(database.db, { organisationId: org.id, slug: 'Bad Slug', name: 'x' })).rejects.toThrow(/project_slug_format/);
  });

  it('treats e-mail addresses case-insensitively as unique', async () => {
    const org = await findOrCreateOrganisation(database.db, 'Acme');
    await insertUser(database.db, { organisationId: org.id, email: 'Ada@Example.org', passwordHash: 'h', role: 'owner' });
    const duplicate = await insertUser(database.db, { organisationId: org.id, email: 'ada@example.org', passwordHash: 'h', role: 'admin' }).catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(await countUsers(database.db)).toBe(1);
  });

  it('finds a setup token only while it is live and unused', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    await insertSetupToken(database.db, { tokenHash: 'hash-a', expiresAt: new Date('2026-11-23T13:00:00Z') });
    const live = await lockLiveSetupToken(database.db, 'hash-a', now);
    expect(live).toBeDefined();
    expect(await lockLiveSetupToken(database.db, 'hash-a', new Date('2026-11-23T13:00:01Z'))).toBeUndefined();
    await markSetupTokenUsed(database.db, live!.id, now);
    expect(await lockLiveSetupToken(database.db, 'hash-a', now)).toBeUndefined();

    await insertSetupToken(database.db, { tokenHash: 'hash-b', expiresAt: new Date('2026-11-23T13:00:00Z') });
    await expireUnusedSetupTokens(database.db, now);
    expect(await lockLiveSetupToken(database.db, 'hash-b', now)).toBeUndefined();
  });

  it('honours revocation, expiry and disabled users when resolving API tokens', async () => {
    const org = await findOrganisation(database.db);
    const user = await insertUser(database.db, { organisationId: org!.id, email: 'triager@example.org', passwordHash: 'h', role: 'member' });
    const now = new Date('2026-11-23T12:00:00Z');
    await insertApiToken(database.db, { userId: user.id, name: 'live', tokenHash: 'live', expiresAt: null, scopes: [], projectId: null });
    await insertApiToken(database.db, { userId: user.id, name: 'expiring', tokenHash: 'expiring', expiresAt: new Date('2026-11-23T12:30:00Z'), scopes: [], projectId: null });
    const revoked = await insertApiToken(database.db, { userId: user.id, name: 'revoked', tokenHash: 'revoked', expiresAt: null, scopes: [], projectId: null });
    await database.db.updateTable('api_token').set({ revoked_at: now }).where('id', '=', revoked.id).execute();

    expect((await findLiveTokenOwner(database.db, 'live', now))?.user.email).toBe('triager@example.org');
    expect(await findLiveTokenOwner(database.db, 'expiring', now)).toBeDefined();
    expect(await findLiveTokenOwner(database.db, 'expiring', new Date('2026-11-23T12:30:01Z'))).toBeUndefined();
    expect(await findLiveTokenOwner(database.db, 'revoked', now)).toBeUndefined();

    await database.db.updateTable('app_user').set({ disabled_at: now }).where('id', '=', user.id).execute();
    expect(await findLiveTokenOwner(database.db, 'live', now)).toBeUndefined();
  });

  it('rolls a failed transaction back completely', async () => {
    const org = await findOrganisation(database.db);
    const failure = await database.db
      .transaction()
      .execute(async (trx) => {
        await insertProject(trx, { organisationId: org!.id, slug: 'half-written', name: 'Half' });
        throw new Error('boom');
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(await findProjectBySlug(database.db, 'half-written')).toBeUndefined();
    expect(await database.db.selectFrom('project').select('id').where('slug', '=', 'half-written').execute()).toEqual([]);
  });
});

describe('PostgreSQL TLS settings', () => {
  it('asks the server for TLS when DATABASE_SSL=require (the test cluster has none, so it refuses)', async () => {
    const { inject } = await import('vitest');
    const { openDatabase } = await import('./database.ts');
    const { sql } = await import('kysely');
    const database = await openDatabase({ kind: 'postgres', url: inject('postgresUrl'), ssl: 'require', poolSize: 1 });
    await expect(sql`select 1`.execute(database.db)).rejects.toThrow(/does not support SSL/);
    await database.close();
  });
});
