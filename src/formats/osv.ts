/**
 * OSV (https://ossf.github.io/osv-schema/) from an advisory. OSV is what
 * scanners match dependencies against, so the range rules are enforced here
 * rather than hoped for: every range starts with `introduced`, each event
 * object has exactly one key, a range never has both `fixed` and
 * `last_affected`, and SEMVER versions carry no leading `v`.
 */
import type { AffectedPackage, Advisory, Credit, VersionRange } from '../domain/advisories/model.ts';
import { EmbargoError } from '../errors.ts';
import { nonEmpty, unique, utc, withoutUndefined } from './advisory-common.ts';
import { packageRanges } from './advisory-packages.ts';
import { localIdPrefix } from './osv-types.ts';
import type { OsvAffected, OsvEntry, OsvEvent, OsvRange, OsvSeverity } from './osv-types.ts';
import osvSchema from './schemas/osv-schema.json' with { type: 'json' };

export { importOsv } from './osv-import.ts';
export { localIdPrefix } from './osv-types.ts';
export type { OsvAffected, OsvEntry, OsvEvent, OsvRange } from './osv-types.ts';

/**
 * The latest released schema version whose fields we use. The bundled schema
 * is the main branch, newer than 1.7.5 only in allowing the `x_` id prefix.
 */
export const osvSchemaVersion = '1.7.5';

/** The schema's own patterns, so the renderer and the validator cannot drift apart. */
const registeredIdPrefix = new RegExp(osvSchema.$defs.prefix.pattern);
const listedEcosystem = new RegExp(osvSchema.$defs.ecosystemWithSuffix.pattern);

export interface OsvOptions {
  /**
   * Put before advisory ids that do not start with a registered OSV database
   * prefix. Defaults to `x_`; any other value must make a registered id.
   */
  databaseIdPrefix?: string | undefined;
}

/** The OSV id of an advisory: its own id when OSV knows the prefix (`GHSA-…`), else prefixed. */
export function osvId(advisoryId: string, databaseIdPrefix = localIdPrefix): string {
  if (registeredIdPrefix.test(advisoryId)) return advisoryId;
  const id = `${databaseIdPrefix}${advisoryId}`;
  if (!registeredIdPrefix.test(id)) {
    throw new EmbargoError('validation_failed', `"${id}" does not start with a prefix OSV knows`, [
      { path: 'databaseIdPrefix', message: `must be "${localIdPrefix}" or a registered OSV database prefix` },
    ]);
  }
  return id;
}

/** True when OSV lists the ecosystem; others cannot be named in `package`. */
export function isOsvEcosystem(ecosystem: string): boolean {
  return listedEcosystem.test(ecosystem);
}

export function renderOsv(advisory: Advisory, opts: OsvOptions = {}): OsvEntry {
  const id = osvId(advisory.id, opts.databaseIdPrefix);
  const aliases = unique([advisory.cveId, ...advisory.aliases].filter((alias): alias is string => alias !== undefined && alias !== id && alias !== advisory.id));
  const severity = advisory.severity;
  return withoutUndefined({
    schema_version: osvSchemaVersion,
    id,
    modified: utc(advisory.modified),
    published: advisory.published === undefined ? undefined : utc(advisory.published),
    withdrawn: advisory.withdrawn === undefined ? undefined : utc(advisory.withdrawn.at),
    aliases: nonEmpty(aliases),
    // OSV's summary is the one-line headline (GitHub puts its advisory title there); the details carry the rest.
    summary: advisory.title,
    details: [advisory.summary, advisory.details].filter((text) => text.trim() !== '').join('\n\n') || undefined,
    severity: nonEmpty<OsvSeverity>([
      ...(severity?.cvss31 === undefined ? [] : [{ type: 'CVSS_V3' as const, score: severity.cvss31.vector }]),
      ...(severity?.cvss40 === undefined ? [] : [{ type: 'CVSS_V4' as const, score: severity.cvss40.vector }]),
    ]),
    affected: nonEmpty(advisory.affected.map((pkg, index) => osvAffected(pkg, `affected[${index}]`))),
    references: nonEmpty(advisory.references.map((reference) => ({ type: reference.type, url: reference.url }))),
    credits: nonEmpty(advisory.credits.map(osvCredit)),
    database_specific: databaseSpecific({
      cwe_ids: nonEmpty(advisory.cweIds),
      severity: severity?.rating.toUpperCase(),
      withdrawn_reason: advisory.withdrawn?.reason,
    }),
  });
}

function osvAffected(pkg: AffectedPackage, path: string): OsvAffected {
  const listed = isOsvEcosystem(pkg.ecosystem);
  const packageRef = withoutUndefined({ ecosystem: pkg.ecosystem, name: pkg.name, purl: pkg.purl });
  // Unsupported versions are affected too: listing them lets scanners flag them even outside the ranges.
  const versions = unique([...(pkg.versions ?? []), ...(pkg.unsupportedAffected ?? [])]);
  return withoutUndefined({
    // OSV validates ecosystems against its list; software outside public ecosystems keeps its name in database_specific.
    package: listed ? packageRef : undefined,
    ranges: nonEmpty(packageRanges(pkg, path).map(osvRange)),
    versions: nonEmpty(versions),
    database_specific: databaseSpecific({
      package: listed ? undefined : packageRef,
      unsupported_affected_versions: nonEmpty(pkg.unsupportedAffected ?? []),
      patched_versions: nonEmpty(pkg.patched ?? []),
    }),
  });
}

function osvRange(range: VersionRange): OsvRange {
  const end: OsvEvent[] =
    range.fixed !== undefined ? [{ fixed: range.fixed }]
    : range.lastAffected !== undefined ? [{ last_affected: range.lastAffected }]
    : [];
  return withoutUndefined({ type: range.type, repo: range.repo, events: [{ introduced: range.introduced }, ...end] });
}

function osvCredit(credit: Credit): NonNullable<OsvEntry['credits']>[number] {
  return withoutUndefined({ name: credit.name, contact: nonEmpty(credit.contact ?? []), type: credit.type });
}

function databaseSpecific(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const present = withoutUndefined(fields);
  return Object.keys(present).length === 0 ? undefined : present;
}
