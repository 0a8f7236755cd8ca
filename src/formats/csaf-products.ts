/**
 * The CSAF product tree of an advisory and what the vulnerability says about
 * each product. Layout: vendor (the publisher) → product_name (the package) →
 * one leaf per affected range (`product_version_range`, as vers), per listed
 * affected or unsupported version and per fixed version (`product_version`).
 *
 * Product ids are built from ecosystem, package and version text, never from
 * list positions, so they stay stable across revisions of the advisory.
 */
import type { AffectedPackage, Advisory, VersionRange } from '../domain/advisories/model.ts';
import { EmbargoError } from '../errors.ts';
import { unique } from './advisory-common.ts';
import { fixVersions, packagePurl, packageRanges, versRange } from './advisory-packages.ts';
import type { CsafBranch, CsafNote, CsafRemediation } from './csaf-types.ts';

export interface ProductPlan {
  /** The vendor branch; the product tree's only branch. */
  vendor: CsafBranch;
  knownAffected: string[];
  fixed: string[];
  remediations: CsafRemediation[];
  /** GIT ranges: CSAF has no way to compare commits, so they are told in notes. */
  commitNotes: CsafNote[];
  /** Some affected product has no fix yet: the document is expected to change. */
  awaitingFix: boolean;
}

interface PackagePlan {
  branch: CsafBranch;
  affected: string[];
  unsupported: string[];
  fixed: string[];
  fixes: string[];
  /** Commits that fix a GIT range: a fix, even when no release carries it yet. */
  fixCommits: string[];
  gitRanges: VersionRange[];
}

export function planProducts(advisory: Advisory, fixUrl: string | undefined): ProductPlan {
  const vendorName = advisory.project.publisherName;
  const packages = advisory.affected.map((pkg, index) => packagePlan(pkg, `affected[${index}]`, vendorName));
  return {
    vendor: { category: 'vendor', name: vendorName, branches: packages.map((plan) => plan.branch) },
    knownAffected: unique(packages.flatMap((plan) => [...plan.affected, ...plan.unsupported])),
    fixed: unique(packages.flatMap((plan) => plan.fixed)),
    remediations: advisory.affected.flatMap((pkg, index) => remediations(pkg, packages[index]!, fixUrl)),
    commitNotes: advisory.affected.flatMap((pkg, index) => commitNote(pkg, packages[index]!.gitRanges)),
    awaitingFix: packages.some((plan) => plan.affected.length > 0 && plan.fixes.length === 0 && plan.fixCommits.length === 0),
  };
}

function packagePlan(pkg: AffectedPackage, path: string, vendorName: string): PackagePlan {
  const ranges = packageRanges(pkg, path);
  const comparable = ranges.filter((range) => range.type !== 'GIT');
  const fixes = fixVersions(pkg, ranges);
  const unsupported = unique(pkg.unsupportedAffected ?? []);
  // Listed versions repeat what comparable ranges already say; they carry the information only without them.
  const listed = comparable.length === 0 ? unique(pkg.versions ?? []).filter((version) => !unsupported.includes(version)) : [];
  const contradiction = fixes.find((version) => listed.includes(version) || unsupported.includes(version));
  if (contradiction !== undefined) {
    throw new EmbargoError('validation_failed', `${pkg.name} ${contradiction} is listed as both affected and fixed`, [
      { path, message: `version ${contradiction} is both affected and fixed` },
    ]);
  }
  const leaf = (category: string, name: string, label: string, purl: string): CsafBranch => ({
    category,
    name,
    product: { name: `${vendorName} ${pkg.name} ${label}`, product_id: productId(pkg, name), product_identification_helper: { purl } },
  });
  const rangeLeaves = uniqueBy(comparable.map((range) => leaf('product_version_range', versRange(pkg, range), rangeText(range), packagePurl(pkg))));
  const versionLeaf = (version: string) => leaf('product_version', version, version, packagePurl(pkg, version));
  const affectedLeaves = [...rangeLeaves, ...listed.map(versionLeaf)];
  const unsupportedLeaves = unsupported.map(versionLeaf);
  const fixedLeaves = fixes.map(versionLeaf);
  const leaves = [...affectedLeaves, ...unsupportedLeaves, ...fixedLeaves];
  const idsOf = (branches: CsafBranch[]) => branches.map((branch) => branch.product!.product_id);
  const gitRanges = ranges.filter((range) => range.type === 'GIT');
  const fixCommits = unique(gitRanges.flatMap((range) => (range.fixed === undefined ? [] : [range.fixed])));
  if (leaves.length === 0) {
    // Nothing but commits (or nothing at all) is known: the package as a whole is the affected product.
    const product = { name: `${vendorName} ${pkg.name}`, product_id: productId(pkg), product_identification_helper: { purl: packagePurl(pkg) } };
    return { branch: { category: 'product_name', name: pkg.name, product }, affected: [product.product_id], unsupported: [], fixed: [], fixes, fixCommits, gitRanges };
  }
  return {
    branch: { category: 'product_name', name: pkg.name, branches: leaves },
    affected: idsOf(affectedLeaves),
    unsupported: idsOf(unsupportedLeaves),
    fixed: idsOf(fixedLeaves),
    fixes,
    fixCommits,
    gitRanges,
  };
}

function productId(pkg: AffectedPackage, version?: string): string {
  return [pkg.ecosystem, pkg.name, version].filter((part) => part !== undefined).join(':');
}

/** `>= 1.0.0 < 1.2.3`, for product names people read. */
function rangeText(range: VersionRange): string {
  const bounds = [
    range.introduced === '0' ? undefined : `>= ${range.introduced}`,
    range.fixed === undefined ? undefined : `< ${range.fixed}`,
    range.lastAffected === undefined ? undefined : `<= ${range.lastAffected}`,
  ].filter((bound) => bound !== undefined);
  return bounds.length === 0 ? 'all versions' : bounds.join(' ');
}

/** Two identical ranges would define one product id twice (mandatory test 6.1.2). */
function uniqueBy(leaves: CsafBranch[]): CsafBranch[] {
  return leaves.filter((leaf, index) => leaves.findIndex((other) => other.product!.product_id === leaf.product!.product_id) === index);
}

/** Every affected product needs a remediation (optional test 6.2.2), so a missing fix is stated, not left out. */
function remediations(pkg: AffectedPackage, plan: PackagePlan, fixUrl: string | undefined): CsafRemediation[] {
  const fixedIn = plan.fixes.join(', ');
  const result: CsafRemediation[] = [];
  const withUrl = fixUrl === undefined ? {} : { url: fixUrl };
  if (plan.affected.length > 0 && plan.fixes.length > 0) {
    result.push({ category: 'vendor_fix', details: `Update ${pkg.name} to a fixed version: ${fixedIn}.`, product_ids: plan.affected, ...withUrl });
  } else if (plan.affected.length > 0 && plan.fixCommits.length > 0) {
    result.push({ category: 'vendor_fix', details: `Update ${pkg.name} to a revision that includes ${plan.fixCommits.join(', ')}.`, product_ids: plan.affected, ...withUrl });
  } else if (plan.affected.length > 0) {
    result.push({ category: 'none_available', details: `No fixed version of ${pkg.name} is available yet.`, product_ids: plan.affected });
  }
  if (plan.unsupported.length > 0) {
    const advice = plan.fixes.length > 0 ? ` Move to a supported, fixed version: ${fixedIn}.` : ' Move to a supported version.';
    result.push({ category: 'no_fix_planned', details: `These versions of ${pkg.name} are no longer supported and will not be fixed.${advice}`, product_ids: plan.unsupported });
  }
  return result;
}

function commitNote(pkg: AffectedPackage, gitRanges: readonly VersionRange[]): CsafNote[] {
  if (gitRanges.length === 0) return [];
  const lines = gitRanges.map((range) => {
    const end = range.fixed !== undefined ? `fixed by ${range.fixed}` : range.lastAffected !== undefined ? `last affected ${range.lastAffected}` : 'not fixed yet';
    return `${range.repo}: introduced ${range.introduced === '0' ? 'at the first commit' : `by ${range.introduced}`}, ${end}`;
  });
  return [{ category: 'other', title: `Affected commits of ${pkg.name}`, text: lines.join('\n') }];
}
