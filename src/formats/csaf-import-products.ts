/**
 * Affected packages from a CSAF product tree and product statuses. Each
 * product is placed by the branches above it: the vendor, the product name
 * (or family), and the version or vers range nearest to it. Products are
 * grouped into packages by ecosystem (from the purl type, else the vendor)
 * and name.
 */
import type { AffectedPackage, VersionRange } from '../domain/advisories/model.ts';
import { ecosystemOfPurlType } from './advisory-packages.ts';
import type { CsafBranch, CsafDocument, CsafProduct } from './csaf-types.ts';

interface Placement {
  vendor?: string | undefined;
  product?: string | undefined;
  version?: string | undefined;
  range?: string | undefined;
}

interface PlacedProduct extends Placement {
  fullName: string;
  purl?: string | undefined;
}

const versionCategories = new Set(['product_version', 'service_pack', 'patch_level']);

export function packagesOf(doc: CsafDocument, fallbackVendor: string): AffectedPackage[] {
  const products = placedProducts(doc);
  const packages = new Map<string, AffectedPackage>();
  const noFixPlanned = new Set(
    (doc.vulnerabilities ?? []).flatMap((vuln) => (vuln.remediations ?? []).filter((item) => item.category === 'no_fix_planned').flatMap((item) => item.product_ids ?? [])),
  );
  const add = (productId: string, affected: boolean) => {
    const product = products.get(productId);
    if (product === undefined) return;
    const pkg = packageFor(packages, product, fallbackVendor);
    if (product.range !== undefined && affected) pkg.ranges.push(...rangesOfVers(product.range));
    else if (product.version !== undefined && !affected) pkg.patched!.push(product.version);
    else if (product.version !== undefined && noFixPlanned.has(productId)) pkg.unsupportedAffected!.push(product.version);
    else if (product.version !== undefined) pkg.versions!.push(product.version);
  };
  for (const vuln of doc.vulnerabilities ?? []) {
    const status = vuln.product_status ?? {};
    for (const id of [...(status.known_affected ?? []), ...(status.first_affected ?? []), ...(status.last_affected ?? [])]) add(id, true);
    for (const id of [...(status.fixed ?? []), ...(status.first_fixed ?? [])]) add(id, false);
  }
  return [...packages.values()].map((pkg) => ({
    ...pkg,
    versions: [...new Set(pkg.versions)],
    patched: [...new Set(pkg.patched)],
    unsupportedAffected: [...new Set(pkg.unsupportedAffected)],
  }));
}

function packageFor(packages: Map<string, AffectedPackage>, product: PlacedProduct, fallbackVendor: string): AffectedPackage {
  const purlType = product.purl === undefined ? undefined : /^pkg:([^/]+)\//.exec(product.purl)?.[1]?.toLowerCase();
  const ecosystem = (purlType === undefined ? undefined : ecosystemOfPurlType(purlType)) ?? product.vendor ?? fallbackVendor;
  const name = product.product ?? product.fullName;
  const key = `${ecosystem}\u0000${name}`;
  const existing = packages.get(key);
  if (existing !== undefined) return existing;
  const created: AffectedPackage = { ecosystem, name, ranges: [], versions: [], patched: [], unsupportedAffected: [] };
  packages.set(key, created);
  return created;
}

function placedProducts(doc: CsafDocument): Map<string, PlacedProduct> {
  const placed = new Map<string, PlacedProduct>();
  const place = (product: CsafProduct, where: Placement) =>
    placed.set(product.product_id, { ...where, fullName: product.name, purl: product.product_identification_helper?.purl });
  const walk = (branches: readonly CsafBranch[], where: Placement) => {
    for (const branch of branches) {
      const here = placement(branch, where);
      if (branch.product !== undefined) place(branch.product, here);
      walk(branch.branches ?? [], here);
    }
  };
  walk(doc.product_tree?.branches ?? [], {});
  for (const product of doc.product_tree?.full_product_names ?? []) place(product, {});
  for (const relationship of doc.product_tree?.relationships ?? []) place(relationship.full_product_name, {});
  return placed;
}

function placement(branch: CsafBranch, where: Placement): Placement {
  if (branch.category === 'vendor') return { ...where, vendor: branch.name };
  if (branch.category === 'product_name') return { ...where, product: branch.name };
  // A family names the product only until a product_name below it does.
  if (branch.category === 'product_family') return { ...where, product: where.product ?? branch.name };
  if (branch.category === 'product_version_range') return { ...where, range: branch.name, version: undefined };
  if (versionCategories.has(branch.category)) return { ...where, version: branch.name, range: undefined };
  return where;
}

/**
 * Version ranges from a vers string: `>=` opens an interval, `<` or `<=`
 * closes it; `*` is every version. Constraints the model cannot hold (`>`,
 * `!=`, single versions) are skipped. The `semver` scheme is OSV's SEMVER;
 * any other is an ECOSYSTEM range.
 */
export function rangesOfVers(vers: string): VersionRange[] {
  const match = /^vers:([a-z0-9.+-]+)\/(.+)$/i.exec(vers.replace(/\s+/g, ''));
  if (match === null) return [];
  const type = match[1]!.toLowerCase() === 'semver' ? 'SEMVER' : 'ECOSYSTEM';
  if (match[2] === '*') return [{ type, introduced: '0' }];
  const ranges: VersionRange[] = [];
  let open: string | undefined;
  for (const constraint of match[2]!.split('|')) {
    const [, comparator, encoded] = /^(>=|<=|<|>|!=)?(.+)$/.exec(constraint) ?? [];
    const version = decodeURIComponent(encoded ?? '');
    if (comparator === '>=') {
      if (open !== undefined) ranges.push({ type, introduced: open });
      open = version;
    } else if (comparator === '<' || comparator === '<=') {
      ranges.push({ type, introduced: open ?? '0', ...(comparator === '<' ? { fixed: version } : { lastAffected: version }) });
      open = undefined;
    }
  }
  return open === undefined ? ranges : [...ranges, { type, introduced: open }];
}
