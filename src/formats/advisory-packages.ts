/**
 * Packages and version ranges as the renderers need them: checked and
 * normalised once (the model's range rules, SEMVER without a leading `v`),
 * and named in the other identifier systems (Package URL, vers, CVE package
 * collections). Ecosystems missing from the table fall back to `generic`.
 */
import type { AffectedPackage, VersionRange } from '../domain/advisories/model.ts';
import { EmbargoError } from '../errors.ts';

interface EcosystemNames {
  /** Package URL type; also the vers scheme, by the vers convention. */
  purlType: string;
  /** CVE `collectionURL`, from the examples the CVE schema itself lists. */
  collectionUrl: string;
}

const ecosystems: Record<string, EcosystemNames> = {
  npm: { purlType: 'npm', collectionUrl: 'https://registry.npmjs.org' },
  PyPI: { purlType: 'pypi', collectionUrl: 'https://pypi.python.org' },
  Go: { purlType: 'golang', collectionUrl: 'https://golang.org/pkg' },
  Maven: { purlType: 'maven', collectionUrl: 'https://repo.maven.apache.org/maven2' },
  'crates.io': { purlType: 'cargo', collectionUrl: 'https://crates.io' },
  RubyGems: { purlType: 'gem', collectionUrl: 'https://rubygems.org' },
  NuGet: { purlType: 'nuget', collectionUrl: 'https://nuget.org/packages' },
  Packagist: { purlType: 'composer', collectionUrl: 'https://packagist.org' },
  Hex: { purlType: 'hex', collectionUrl: 'https://repo.hex.pm' },
  Pub: { purlType: 'pub', collectionUrl: 'https://pub.dev' },
  Hackage: { purlType: 'hackage', collectionUrl: 'https://hackage.haskell.org' },
  CRAN: { purlType: 'cran', collectionUrl: 'https://cran.r-project.org' },
  ConanCenter: { purlType: 'conan', collectionUrl: 'https://conan.io/center' },
};

/** OSV allows a suffix (`Debian:12`); the names depend on the ecosystem only. */
export function ecosystemNames(ecosystem: string): EcosystemNames | undefined {
  return ecosystems[ecosystem.split(':')[0] ?? ''];
}

export function ecosystemOfPurlType(purlType: string): string | undefined {
  return Object.entries(ecosystems).find(([, names]) => names.purlType === purlType)?.[0];
}

/** The package's purl without a version (its own, or one derived from the ecosystem), with `@version` when given. */
export function packagePurl(pkg: AffectedPackage, version?: string): string {
  const base = pkg.purl === undefined ? derivedPurl(pkg) : withoutVersion(pkg.purl);
  return version === undefined ? base : `${base}@${encodeURIComponent(version)}`;
}

function derivedPurl(pkg: AffectedPackage): string {
  const type = ecosystemNames(pkg.ecosystem)?.purlType ?? 'generic';
  // Maven names are group:artifact; elsewhere a slash separates namespace and name (npm scopes, Go modules).
  const segments = pkg.name.split(type === 'maven' ? ':' : '/').filter((segment) => segment !== '');
  return `pkg:${type}/${segments.map(encodeURIComponent).join('/')}`;
}

function withoutVersion(purl: string): string {
  const bare = purl.replace(/[?#].*$/, '');
  const at = bare.lastIndexOf('@');
  return at > bare.lastIndexOf('/') ? bare.slice(0, at) : bare;
}

/**
 * Checks a range against the model's rules and returns it normalised. The
 * renderers refuse rather than emit a range OSV or CSAF would misread: a
 * range with both `fixed` and `lastAffected` has no single meaning.
 */
function checkedRange(range: VersionRange, path: string): VersionRange {
  const problem =
    range.introduced.trim() === '' ? 'introduced must not be empty'
    : range.fixed !== undefined && range.lastAffected !== undefined ? 'a range has either fixed or lastAffected, never both'
    : range.type === 'GIT' && range.repo === undefined ? 'GIT ranges need the repository URL (repo)'
    : undefined;
  if (problem !== undefined) throw new EmbargoError('validation_failed', `Invalid version range: ${problem}`, [{ path, message: problem }]);
  const clean = (version: string | undefined) => (version === undefined || range.type !== 'SEMVER' ? version : withoutLeadingV(version));
  return { type: range.type, repo: range.repo, introduced: clean(range.introduced) ?? '0', fixed: clean(range.fixed), lastAffected: clean(range.lastAffected) };
}

/** OSV's SEMVER ranges use bare SemVer 2.0 (`1.2.3`); tags often carry a `v`. */
function withoutLeadingV(version: string): string {
  return /^v\d/i.test(version) ? version.slice(1) : version;
}

/** The package's ranges, checked; `path` names the package for error details. */
export function packageRanges(pkg: AffectedPackage, path: string): VersionRange[] {
  return pkg.ranges.map((range, index) => checkedRange(range, `${path}.ranges[${index}]`));
}

/** Versions that carry the fix: the listed patched versions and the `fixed` ends of comparable ranges. */
export function fixVersions(pkg: AffectedPackage, ranges: readonly VersionRange[]): string[] {
  const fixedEnds = ranges.filter((range) => range.type !== 'GIT').flatMap((range) => (range.fixed === undefined ? [] : [range.fixed]));
  return [...new Set([...(pkg.patched ?? []), ...fixedEnds])];
}

/**
 * The range as a vers string (CSAF product_version_range). SEMVER ranges use
 * the `semver` scheme; ECOSYSTEM ranges the ecosystem's purl type, or
 * `generic`. Versions are percent-encoded where vers requires it.
 */
export function versRange(pkg: AffectedPackage, range: VersionRange): string {
  const scheme = range.type === 'SEMVER' ? 'semver' : (ecosystemNames(pkg.ecosystem)?.purlType ?? 'generic');
  const constraints = [
    ...(range.introduced === '0' ? [] : [`>=${versQuote(range.introduced)}`]),
    ...(range.fixed !== undefined ? [`<${versQuote(range.fixed)}`] : []),
    ...(range.lastAffected !== undefined ? [`<=${versQuote(range.lastAffected)}`] : []),
  ];
  return `vers:${scheme}/${constraints.length === 0 ? '*' : constraints.join('|')}`;
}

function versQuote(version: string): string {
  return encodeURIComponent(version).replace(/[!*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
