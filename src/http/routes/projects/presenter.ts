import type { ProjectView } from '../../../services/project.service.ts';

export function presentProject(project: ProjectView, publicUrl: string) {
  const base = `${publicUrl}/p/${project.slug}`;
  return {
    slug: project.slug,
    name: project.name,
    policyRevision: project.policyRevision,
    policy: project.policy as Record<string, unknown>,
    links: {
      securityMd: `${base}/SECURITY.md`,
      securityTxt: `${base}/security.txt`,
      policyYaml: `${publicUrl}/api/v1/projects/${project.slug}/policy.yaml`,
    },
    createdAt: project.createdAt.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
  };
}
