/**
 * CSAF 2.0 validation with @secvisogram/csaf-validator-lib in its strict mode
 * (it refuses test functions that are not its own). Errors: the strict schema
 * test and the mandatory tests (§6.1). Warnings: the optional tests (§6.2).
 * The informative tests (§6.3) are left out: 6.3.8 spawns `hunspell`, and
 * others fetch URLs, neither of which belongs in rendering or in a request.
 */
import type { ValidationResult } from '@secvisogram/csaf-validator-lib/validateStrict.js';

/**
 * The library compiles hundreds of JSON schemas when imported: about 5 s, most of
 * the server's start-up (docs/PERFORMANCE.md). Only an advisory preview needs it,
 * so it is loaded on the first validation instead of at start.
 */
type Library = {
  mandatory: typeof import('@secvisogram/csaf-validator-lib/basic.js');
  optional: typeof import('@secvisogram/csaf-validator-lib/optionalTests.js');
  validateStrict: typeof import('@secvisogram/csaf-validator-lib/validateStrict.js').default;
};
let library: Promise<Library> | undefined;
function loadLibrary(): Promise<Library> {
  library ??= Promise.all([
    import('@secvisogram/csaf-validator-lib/basic.js'),
    import('@secvisogram/csaf-validator-lib/optionalTests.js'),
    import('@secvisogram/csaf-validator-lib/validateStrict.js'),
  ]).then(([mandatory, optional, strict]) => ({ mandatory, optional, validateStrict: strict.default }));
  return library;
}

export interface CsafValidation {
  /** `test: /instance/path: message` for each failed mandatory test; empty when the document is valid. */
  errors: string[];
  /** The same for the optional tests: the document is valid but could be better. */
  warnings: string[];
}

export async function validateCsafDocument(doc: unknown): Promise<CsafValidation> {
  const { mandatory, optional, validateStrict } = await loadLibrary();
  const [mandatoryResult, optionalResult] = await Promise.all([
    validateStrict(Object.values(mandatory), doc),
    validateStrict(Object.values(optional), doc),
  ]);
  return { errors: messages(mandatoryResult, 'errors'), warnings: messages(optionalResult, 'warnings') };
}

function messages(result: ValidationResult, kind: 'errors' | 'warnings'): string[] {
  return result.tests.flatMap((test) => test[kind].map((item) => `${test.name}: ${item.instancePath || '/'}: ${item.message}`));
}
