/** Test support: the smallest valid policy, and a safe way to vary it. */

export const minimalPolicyYaml = `version: 1
project:
  slug: acme-widget
  name: Acme Widget
contacts:
  - kind: email
    address: security@acme.example
supported_versions:
  rows:
    - range: 2.x
      label: 2.x
      supported: true
response_targets:
  acknowledgement: 48h
security_txt:
  expires: 2027-05-01T00:00:00Z
`;

/**
 * Replaces one exact piece of the YAML. Throws when the piece is missing, so a
 * test can never pass because its edit silently did nothing.
 */
export function editYaml(yaml: string, from: string, to: string): string {
  if (!yaml.includes(from)) throw new Error(`editYaml: ${JSON.stringify(from)} not found`);
  return yaml.replace(from, to);
}

/** Adds top-level keys (given as YAML) to the minimal policy. */
export function policyYamlWith(extraTopLevelYaml: string): string {
  return `${minimalPolicyYaml}${extraTopLevelYaml.trim()}\n`;
}
