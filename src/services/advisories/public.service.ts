import type { Advisory } from '../../domain/advisories/model.ts';
import { EmbargoError } from '../../errors.ts';
import { findAdvisory, listPublicAdvisories } from '../../storage/repositories/advisory.repository.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import type { ServiceContext } from '../context.ts';
import { assembleAdvisories } from './advisory-view.ts';

/** Enough for feeds and lists; older advisories stay reachable by id and in the project's bulk export. */
export const PUBLIC_LIST_LIMIT = 500;

async function projectIdOf(ctx: Pick<ServiceContext, 'db'>, slug: string): Promise<string> {
  const project = await findProjectBySlug(ctx.db, slug);
  if (!project) throw new EmbargoError('not_found', `no project "${slug}"`);
  return project.id;
}

/**
 * Published and withdrawn advisories, newest first, of one project or the
 * whole instance. Drafts and scheduled advisories never leave through here:
 * the state filter is in the query, and their content is sealed anyway.
 */
export async function listPublicAdvisoriesOf(ctx: ServiceContext, slug?: string, limit = PUBLIC_LIST_LIMIT): Promise<Advisory[]> {
  const projectId = slug === undefined ? undefined : await projectIdOf(ctx, slug);
  return assembleAdvisories(ctx.db, ctx, await listPublicAdvisories(ctx.db, { projectId, limit }));
}

/** One public advisory of a project; anything unpublished answers exactly as a missing one does. */
export async function readPublicAdvisory(ctx: ServiceContext, slug: string, advisoryId: string): Promise<Advisory> {
  const projectId = await projectIdOf(ctx, slug);
  const row = await findAdvisory(ctx.db, advisoryId);
  if (!row || row.project_id !== projectId || (row.state !== 'published' && row.state !== 'withdrawn')) throw new EmbargoError('not_found', `no advisory ${advisoryId}`);
  const [advisory] = await assembleAdvisories(ctx.db, ctx, [row]);
  return advisory!;
}

export interface Acknowledgement {
  name: string;
  contact: string[];
  advisories: Array<{ id: string; project: string; title: string; published: string; creditType: string }>;
}

/**
 * The hall of fame: everyone credited in a published advisory, with what they
 * are credited for. Credits were checked against each reporter's consent
 * when the advisory was published (anonymous reporters have no credit to
 * show); withdrawn advisories are left out.
 */
export async function acknowledgements(ctx: ServiceContext, slug?: string): Promise<Acknowledgement[]> {
  const advisories = (await listPublicAdvisoriesOf(ctx, slug, Number.MAX_SAFE_INTEGER)).filter((a) => a.state === 'published');
  const people = new Map<string, Acknowledgement>();
  for (const advisory of advisories) {
    for (const credit of advisory.credits) {
      const entry = people.get(credit.name) ?? { name: credit.name, contact: [], advisories: [] };
      entry.contact = [...new Set([...entry.contact, ...(credit.contact ?? [])])];
      entry.advisories.push({ id: advisory.id, project: advisory.project.slug, title: advisory.title, published: advisory.published!, creditType: credit.type });
      people.set(credit.name, entry);
    }
  }
  return [...people.values()].sort((a, b) => b.advisories.length - a.advisories.length || a.name.localeCompare(b.name));
}
