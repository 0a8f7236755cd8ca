/**
 * OSV schema validation (JSON Schema draft 2020-12), against the main-branch
 * schema copied into src/formats/schemas/ (see its README for the commit).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '../errors.ts';
import osvSchema from './schemas/osv-schema.json' with { type: 'json' };
import { schemaErrorDetails } from './schema-errors.ts';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(osvSchema);

/** Every schema violation, with the JSON path of the offending field. */
export function osvSchemaErrors(doc: unknown): ErrorDetail[] {
  return validate(doc) ? [] : schemaErrorDetails(validate.errors ?? []);
}

/** Every schema violation as `path: message`; empty when the entry is valid. */
export function validateOsv(doc: unknown): string[] {
  return osvSchemaErrors(doc).map((detail) => `${detail.path}: ${detail.message}`);
}
