import type { Advisory } from '../../../domain/advisories/model.ts';
import { renderMarkdownSafely } from '../../../formats/markdown-html.ts';

export function advisoryLinks(publicUrl: string, advisory: Pick<Advisory, 'id' | 'project'>) {
  return {
    json: `${publicUrl}/api/v1/projects/${advisory.project.slug}/advisories/${advisory.id}`,
    osv: `${publicUrl}/p/${advisory.project.slug}/advisories/${advisory.id}.osv.json`,
  };
}

/** A public advisory in full: the model, its details also as sanitised HTML, and where its other formats are. */
export function presentPublicAdvisory(publicUrl: string, advisory: Advisory) {
  return { ...advisory, detailsHtml: renderMarkdownSafely(advisory.details), links: advisoryLinks(publicUrl, advisory) };
}

/** A list entry: enough to choose what to read, without every advisory's details. */
export function presentListEntry(publicUrl: string, advisory: Advisory) {
  const { id, title, summary, severity, cveId, aliases, state, published, modified, withdrawn, project } = advisory;
  return { id, project: project.slug, title, summary, severity, cveId: cveId ?? null, aliases, state, published, modified, withdrawn: withdrawn ?? null, links: advisoryLinks(publicUrl, advisory) };
}
