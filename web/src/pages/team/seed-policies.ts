import exampleWebApi from '../../../../examples/policies/example-web-api.yaml?raw';
import leher from '../../../../examples/policies/leher.yaml?raw';
import payqi from '../../../../examples/policies/payqi.yaml?raw';
import peftStudio from '../../../../examples/policies/peft-studio.yaml?raw';
import peyghom from '../../../../examples/policies/peyghom.yaml?raw';

const SIX_MONTHS_MS = 182 * 86_400_000;

/**
 * The seed policies (examples/policies), bundled as text. Their fixed
 * security.txt expiry would be overtaken by real time, so a copy starts
 * with one six months from today (RFC 9116 wants less than a year).
 */
function withFreshExpiry(text: string): string {
  const expires = new Date(Date.now() + SIX_MONTHS_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return text.replace(/^(\s+expires:) .*$/m, `$1 ${expires}`);
}

export const seedPolicies = [
  { name: 'example-web-api', label: 'Web API (generic template)', raw: exampleWebApi },
  { name: 'payqi', label: 'Payqi (payments)', raw: payqi },
  { name: 'leher', label: 'Leher', raw: leher },
  { name: 'peft-studio', label: 'PEFT Studio', raw: peftStudio },
  { name: 'peyghom', label: 'Peyghom', raw: peyghom },
].map((seed) => ({ ...seed, text: () => withFreshExpiry(seed.raw) }));
