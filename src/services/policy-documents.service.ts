import { signCleartext } from '../crypto/cleartext-signature.ts';
import { parsePolicyYaml } from '../domain/policy/parse.ts';
import type { Policy } from '../domain/policy/schema.ts';
import { EmbargoError, isEmbargoError } from '../errors.ts';
import { renderSecurityMd } from '../formats/security-md.ts';
import { renderSecurityTxt } from '../formats/security-txt.ts';
import type { ServiceContext } from './context.ts';
import { getDefaultProject, getProject, type ProjectView } from './project.service.ts';
import { findPublicKey } from './reports/project-keys.service.ts';

/** Signs a security.txt as an OpenPGP cleartext message (RFC 9116 §2.3). */
export interface SecurityTxtSigner {
  sign(text: string): Promise<string>;
}

export function createSecurityTxtSigner(key: { armoredPrivateKey: string; passphrase?: string | undefined }): SecurityTxtSigner {
  return { sign: (text) => signCleartext(text, key.passphrase === undefined ? { armoredPrivateKey: key.armoredPrivateKey } : { armoredPrivateKey: key.armoredPrivateKey, passphrase: key.passphrase }) };
}

export interface PublicUrls {
  publicUrl: string;
}

function projectUrls(publicUrl: string, slug: string) {
  const base = `${publicUrl}/p/${slug}`;
  return { securityTxt: `${base}/security.txt`, securityMd: `${base}/SECURITY.md`, pgpKey: `${base}/pgp-key.txt` };
}

/** RFC 9116 requires https for every URI in the file, so URLs of a plain-http (development) instance are left out rather than published. */
function httpsOnly(url: string): string | undefined {
  return url.startsWith('https://') ? url : undefined;
}

/** pgp-key.txt serves the project's intake key, else the key its policy embeds; security.txt points there when either exists. */
async function publishedKeyUrl(ctx: ServiceContext, project: ProjectView, url: string): Promise<string | undefined> {
  const published = project.policy.encryption?.public_key !== undefined || (await findPublicKey(ctx, project.id)) !== undefined;
  return published ? httpsOnly(url) : undefined;
}

async function renderTxt(ctx: ServiceContext, policy: Policy, canonicalUrl: string, policyUrl: string, signer: SecurityTxtSigner | undefined, encryptionUrl?: string, csafUrl?: string) {
  const text = renderSecurityTxt(policy, {
    now: ctx.now(),
    canonicalUrl: httpsOnly(canonicalUrl),
    policyUrl: httpsOnly(policyUrl),
    encryptionUrl,
    csafUrl: csafUrl === undefined ? undefined : httpsOnly(csafUrl),
  });
  return signer ? signer.sign(text) : text;
}

export async function projectSecurityTxt(ctx: ServiceContext, slug: string, publicUrl: string, signer?: SecurityTxtSigner): Promise<string> {
  const project = await getProject(ctx, slug);
  const urls = projectUrls(publicUrl, slug);
  return renderTxt(ctx, project.policy, urls.securityTxt, urls.securityMd, signer, await publishedKeyUrl(ctx, project, urls.pgpKey));
}

/**
 * The instance's own /.well-known/security.txt speaks for the organisation's default project.
 * It always names the instance's CSAF provider (CSAF 2.0 §7.1.8 asks for it in the security.txt of
 * the provider's domain): the provider metadata is served even before the first advisory, and a
 * field that appeared only then would make the file change with publication.
 */
export async function instanceSecurityTxt(ctx: ServiceContext, publicUrl: string, signer?: SecurityTxtSigner): Promise<string> {
  const project = await getDefaultProject(ctx);
  if (!project) throw new EmbargoError('not_found', 'no project has been created yet, so there is no security.txt to serve');
  const urls = projectUrls(publicUrl, project.slug);
  const csafUrl = `${publicUrl}/.well-known/csaf/provider-metadata.json`;
  return renderTxt(ctx, project.policy, `${publicUrl}/.well-known/security.txt`, urls.securityMd, signer, await publishedKeyUrl(ctx, project, urls.pgpKey), csafUrl);
}

export async function projectSecurityMd(ctx: ServiceContext, slug: string, publicUrl: string): Promise<string> {
  const project = await getProject(ctx, slug);
  return renderSecurityMd(project.policy, { securityTxtUrl: projectUrls(publicUrl, slug).securityTxt });
}

/**
 * SECURITY.md and security.txt as an unsaved policy would publish them, for
 * the policy editor: the same renderers and URLs as the served documents,
 * unsigned (a signature over a draft would be worth nothing). An invalid
 * policy throws `invalid_policy` with every problem's path and line.
 */
export async function previewPolicyDocuments(ctx: ServiceContext, slug: string, publicUrl: string, policyYaml: string): Promise<{ securityMd: string; securityTxt: string }> {
  const project = await getProject(ctx, slug);
  const policy = parsePolicyYaml(policyYaml);
  if (policy.project.slug !== slug) throw new EmbargoError('invalid_policy', 'a policy cannot change its project slug', [{ path: 'project.slug', message: `must stay "${slug}"` }]);
  const urls = projectUrls(publicUrl, slug);
  try {
    const securityTxt = await renderTxt(ctx, policy, urls.securityTxt, urls.securityMd, undefined, await publishedKeyUrl(ctx, { ...project, policy }, urls.pgpKey));
    return { securityMd: renderSecurityMd(policy, { securityTxtUrl: urls.securityTxt }), securityTxt };
  } catch (error) {
    // The same refusal as saving: an expired or over-long security.txt expiry is a problem of the policy.
    if (isEmbargoError(error) && error.code === 'security_txt_expired') throw new EmbargoError('invalid_policy', `the policy cannot be published: ${error.message}`, error.details);
    throw error;
  }
}
