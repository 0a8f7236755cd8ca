import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import providerSchema from '../../../formats/schemas/csaf-provider-2.0.json' with { type: 'json' };

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;

/**
 * The provider metadata schema takes `publisher` from the CSAF 2.0 schema by
 * `$id`, which in turn refers to the FIRST CVSS schemas. The validator
 * library ships all of them as untyped ES modules; they are imported through
 * variables so TypeScript does not ask for declarations of modules only this
 * test reads, and registered the way the library registers them.
 */
const library = '@secvisogram/csaf-validator-lib';
const referenced = [
  [`${library}/lib/schemaTests/csaf_2_0/schema.js`, undefined],
  [`${library}/schemas/cvss-v2.0.js`, 'https://www.first.org/cvss/cvss-v2.0.json'],
  [`${library}/schemas/cvss-v3.0.js`, 'https://www.first.org/cvss/cvss-v3.0.json'],
  [`${library}/schemas/cvss-v3.1.js`, 'https://www.first.org/cvss/cvss-v3.1.json'],
] as const;

/** Every violation of the CSAF 2.0 provider metadata schema, as `path: message`; empty when valid. */
export async function providerMetadataErrors(doc: unknown): Promise<string[]> {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const [module, id] of referenced) {
    const schema: { default: object } = await import(module);
    ajv.addSchema(schema.default, id);
  }
  const validate = ajv.compile(providerSchema);
  return validate(doc) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath}: ${error.message ?? ''}`);
}
