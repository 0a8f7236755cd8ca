import type { Policy } from '../../../domain/policy/schema.ts';
import { renderMarkdownSafely } from '../../../formats/markdown-html.ts';
import type { ProjectView } from '../../../services/project.service.ts';

/**
 * The policy's Markdown fields as sanitised HTML, keyed by their path in the
 * policy (`intro`, `scope.in.0`, `extra_sections.2.body`…), so the web page
 * shows what SECURITY.md shows without rendering Markdown in the browser.
 */
export function policyMarkdownHtml(policy: Policy): Record<string, string> {
  const html: Record<string, string> = {};
  const add = (path: string, markdown: string | undefined) => {
    if (markdown !== undefined) html[path] = renderMarkdownSafely(markdown);
  };
  const addEach = (path: string, items: readonly string[]) => items.forEach((item, index) => add(`${path}.${index}`, item));
  add('intro', policy.intro);
  add('project.description', policy.project.description);
  add('supported_versions.intro', policy.supported_versions.intro);
  add('supported_versions.note', policy.supported_versions.note);
  addEach('scope.in', policy.scope.in);
  addEach('scope.out', policy.scope.out);
  addEach('response_process', policy.response_process);
  addEach('disclosure.steps', policy.disclosure.steps);
  add('bug_bounty.statement', policy.bug_bounty?.statement);
  add('acknowledgements.statement', policy.acknowledgements?.statement);
  policy.extra_sections.forEach((section, index) => add(`extra_sections.${index}.body`, section.body));
  add('footer', policy.footer);
  return html;
}

export function presentProject(project: ProjectView, publicUrl: string) {
  const base = `${publicUrl}/p/${project.slug}`;
  return {
    slug: project.slug,
    name: project.name,
    policyRevision: project.policyRevision,
    policy: project.policy as Record<string, unknown>,
    markdownHtml: policyMarkdownHtml(project.policy),
    links: {
      securityMd: `${base}/SECURITY.md`,
      securityTxt: `${base}/security.txt`,
      policyYaml: `${publicUrl}/api/v1/projects/${project.slug}/policy.yaml`,
    },
    createdAt: project.createdAt.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
  };
}
