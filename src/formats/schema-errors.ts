import type { ErrorObject } from 'ajv';
import type { ErrorDetail } from '../errors.ts';

/** ajv errors as error details: `/affected/0/ranges` → `affected[0].ranges`, the paths the rest of Embargo uses. */
export function schemaErrorDetails(errors: readonly ErrorObject[]): ErrorDetail[] {
  return errors.map((error) => ({ path: dottedPath(error.instancePath), message: error.message ?? error.keyword }));
}

function dottedPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(segment) ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(root)' : out;
}
