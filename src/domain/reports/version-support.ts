import semver from 'semver';
import type { Policy } from '../policy/schema.ts';

export type VersionStatus = 'supported' | 'unsupported' | 'unknown';

/**
 * Reads the policy's supported-versions table top to bottom: the first row
 * whose range contains the version decides. A `latest` row cannot be judged
 * without knowing the latest release, so reaching one makes the verdict
 * `unknown` rather than letting a later catch-all row call the newest
 * release unsupported. A string that is not a version is `unknown` too.
 */
export function versionStatus(policy: Pick<Policy, 'supported_versions'>, version: string): VersionStatus {
  // "v1.2.3" and "1.2" are what people write; coerce reads them as 1.2.3 and 1.2.0.
  const candidate = semver.clean(version) ?? semver.coerce(version, { includePrerelease: true })?.version;
  if (!candidate) return 'unknown';
  for (const row of policy.supported_versions.rows) {
    if (row.range === 'latest') return 'unknown';
    if (semver.satisfies(candidate, row.range, { includePrerelease: true })) return row.supported ? 'supported' : 'unsupported';
  }
  return 'unknown';
}

/** Over several affected versions: supported if any is, else unsupported if any is, else unknown. */
export function combinedVersionStatus(policy: Pick<Policy, 'supported_versions'>, versions: readonly string[]): VersionStatus {
  const verdicts = versions.map((v) => versionStatus(policy, v));
  if (verdicts.includes('supported')) return 'supported';
  if (verdicts.includes('unsupported')) return 'unsupported';
  return 'unknown';
}
