/**
 * CVE JSON 5.1 validation (JSON Schema draft-07) against the bundled 5.1.1
 * record schema copied into src/formats/schemas/ (see its README).
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '../errors.ts';
import { schemaErrorDetails } from './schema-errors.ts';
import cveSchema from './schemas/cve-5.1.1-bundled.json' with { type: 'json' };

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;

// Not strict: the bundled schema nests draft-07 `$schema`/`$id` keys inside definitions, which strict mode rejects.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(cveSchema);

export function cve5SchemaErrors(doc: unknown): ErrorDetail[] {
  return validate(doc) ? [] : schemaErrorDetails(validate.errors ?? []);
}

/** Every schema violation as `path: message`; empty when the record is valid. */
export function validateCve5(doc: unknown): string[] {
  return cve5SchemaErrors(doc).map((detail) => `${detail.path}: ${detail.message}`);
}
