import type { Advisory } from '../../domain/advisories/model.ts';
import { isEmbargoError, type ErrorDetail } from '../../errors.ts';
import { renderOsv } from '../../formats/osv.ts';
import { osvSchemaErrors } from '../../formats/validate-osv.ts';

/** Why the advisory's OSV rendering is refused or invalid (paths under `osv`); empty when it validates. Scanners consume OSV, so nothing goes public without it. */
export function osvProblems(advisory: Advisory): ErrorDetail[] {
  try {
    return osvSchemaErrors(renderOsv(advisory)).map((detail) => ({ path: `osv.${detail.path}`, message: detail.message }));
  } catch (error) {
    if (isEmbargoError(error)) return error.details.map((detail) => ({ path: `osv.${detail.path}`, message: detail.message }));
    throw error;
  }
}
