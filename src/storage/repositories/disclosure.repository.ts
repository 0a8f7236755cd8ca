import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { DisclosureProposal, DisclosureProposalTable } from '../schema-triage.ts';

export async function insertDisclosureProposal(db: DbOrTrx, values: Insertable<DisclosureProposalTable>): Promise<DisclosureProposal> {
  return db.insertInto('disclosure_proposal').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function listDisclosureProposals(db: DbOrTrx, reportId: string): Promise<DisclosureProposal[]> {
  return db.selectFrom('disclosure_proposal').selectAll().where('report_id', '=', reportId).orderBy('seq').execute();
}

export async function supersedeOpenProposals(db: DbOrTrx, reportId: string, now: Date): Promise<void> {
  await db.updateTable('disclosure_proposal').set({ status: 'superseded', responded_at: now }).where('report_id', '=', reportId).where('status', '=', 'open').execute();
}

export async function setProposalStatus(db: DbOrTrx, id: string, status: 'accepted' | 'rejected', now: Date): Promise<void> {
  await db.updateTable('disclosure_proposal').set({ status, responded_at: now }).where('id', '=', id).execute();
}
