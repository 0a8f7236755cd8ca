import { sql } from 'kysely';
import { buildTestApp, setUpOwner } from '../../../../test/support/app.ts';
import { openTestDatabase, type DatabaseKind } from '../../../../test/support/databases.ts';
import { multipartBody, type TestFile } from '../../../../test/support/multipart.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

/** Small limits, so tests can cross them with small files. */
export const LIMITS = { maxFileBytes: 64 * 1024, maxReportBytes: 160 * 1024, maxCount: 4 };

/** A submission the Leher example policy accepts. */
export const report = {
  title: 'Heap overflow in the thumbnail decoder',
  description: 'A crafted PNG overflows the row buffer.',
  steps_to_reproduce: 'Upload poc.png as an avatar.',
  impact: 'Remote code execution in the worker',
  affected_versions: { text: '1.4' },
};

type Headers = Record<string, string>;

/** An app with small attachment limits, an owner (whose API token acts as the team) and the Leher project. */
export async function attachmentsHarness(kind: DatabaseKind) {
  const database = await openTestDatabase(kind);
  const app = await buildTestApp(database, { config: { attachments: LIMITS } });
  const team = { authorization: `Bearer ${await setUpOwner(app, database)}` };
  await app.inject({ method: 'POST', url: '/api/v1/projects', headers: team, payload: { policy: (await examplePolicyExpiringIn('leher')).text } });

  const post = async (url: string, headers: Headers, fields: Record<string, string>, files: readonly TestFile[]) => {
    const form = await multipartBody(fields, files);
    return app.inject({ method: 'POST', url, headers: { ...headers, ...form.headers }, payload: form.payload });
  };

  return {
    app,
    database,
    team,
    /** Multipart intake: the report as the `report` field (JSON text unless given as a string already), plus files. */
    submit: (files: readonly TestFile[], options: { report?: object | string; headers?: Headers } = {}) => {
      const body = options.report ?? report;
      return post('/api/v1/projects/leher/reports', options.headers ?? {}, { report: typeof body === 'string' ? body : JSON.stringify(body) }, files);
    },
    post,
    /** A reporter's follow-up token, as headers. */
    as: (token: string) => ({ authorization: `Bearer ${token}` }),
    count: async (table: 'report' | 'report_attachment') => Number((await database.db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Every value of the rows as text, bytea as hex, UTF-8 and Latin-1, the way a dump could be read. */
export function dumpText(rows: ReadonlyArray<Record<string, unknown>>): string {
  const text = (value: unknown): string => {
    if (value instanceof Uint8Array) {
      const bytes = Buffer.from(value);
      return [bytes.toString('hex'), bytes.toString('utf8'), bytes.toString('latin1')].join(' ');
    }
    return typeof value === 'object' && value !== null && !(value instanceof Date) ? JSON.stringify(value) : String(value);
  };
  return rows.map((row) => Object.values(row).map(text).join(' | ')).join('\n');
}
