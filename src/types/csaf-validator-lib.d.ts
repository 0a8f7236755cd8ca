/**
 * Declarations for the parts of @secvisogram/csaf-validator-lib that
 * src/formats uses. The package is plain ESM JavaScript without types; only
 * the modules imported here are declared. Informative tests are deliberately
 * absent: test 6.3.8 spawns `hunspell`, which a renderer must not depend on.
 */
declare module '@secvisogram/csaf-validator-lib/validateStrict.js' {
  export interface TestMessage {
    message: string;
    instancePath: string;
  }
  export interface TestResult {
    isValid?: boolean;
    errors?: TestMessage[];
    warnings?: TestMessage[];
    infos?: TestMessage[];
  }
  export type DocumentTest = (doc: unknown) => TestResult | Promise<TestResult>;
  export interface ValidationResult {
    isValid: boolean;
    tests: Array<{ name: string; isValid: boolean; errors: TestMessage[]; warnings: TestMessage[]; infos: TestMessage[] }>;
  }
  /** Runs the tests, refusing any function that is not one of the library's own (its "strict mode"). */
  export default function validateStrict(tests: readonly DocumentTest[], doc: unknown): Promise<ValidationResult>;
}

/** The CSAF 2.0 strict schema test and the mandatory tests (6.1.8 is part of the schema test). */
declare module '@secvisogram/csaf-validator-lib/basic.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validateStrict.js';
  export const csaf_2_0_strict: DocumentTest, mandatoryTest_6_1_1: DocumentTest, mandatoryTest_6_1_2: DocumentTest, mandatoryTest_6_1_3: DocumentTest;
  export const mandatoryTest_6_1_4: DocumentTest, mandatoryTest_6_1_5: DocumentTest, mandatoryTest_6_1_6: DocumentTest, mandatoryTest_6_1_7: DocumentTest;
  export const mandatoryTest_6_1_9: DocumentTest, mandatoryTest_6_1_10: DocumentTest, mandatoryTest_6_1_11: DocumentTest, mandatoryTest_6_1_12: DocumentTest;
  export const mandatoryTest_6_1_13: DocumentTest, mandatoryTest_6_1_14: DocumentTest, mandatoryTest_6_1_15: DocumentTest, mandatoryTest_6_1_16: DocumentTest;
  export const mandatoryTest_6_1_17: DocumentTest, mandatoryTest_6_1_18: DocumentTest, mandatoryTest_6_1_19: DocumentTest, mandatoryTest_6_1_20: DocumentTest;
  export const mandatoryTest_6_1_21: DocumentTest, mandatoryTest_6_1_22: DocumentTest, mandatoryTest_6_1_23: DocumentTest, mandatoryTest_6_1_24: DocumentTest;
  export const mandatoryTest_6_1_25: DocumentTest, mandatoryTest_6_1_26: DocumentTest, mandatoryTest_6_1_27_1: DocumentTest, mandatoryTest_6_1_27_2: DocumentTest;
  export const mandatoryTest_6_1_27_3: DocumentTest, mandatoryTest_6_1_27_4: DocumentTest, mandatoryTest_6_1_27_5: DocumentTest, mandatoryTest_6_1_27_6: DocumentTest;
  export const mandatoryTest_6_1_27_7: DocumentTest, mandatoryTest_6_1_27_8: DocumentTest, mandatoryTest_6_1_27_9: DocumentTest, mandatoryTest_6_1_27_10: DocumentTest;
  export const mandatoryTest_6_1_27_11: DocumentTest, mandatoryTest_6_1_28: DocumentTest, mandatoryTest_6_1_29: DocumentTest, mandatoryTest_6_1_30: DocumentTest;
  export const mandatoryTest_6_1_31: DocumentTest, mandatoryTest_6_1_32: DocumentTest, mandatoryTest_6_1_33: DocumentTest;
}

declare module '@secvisogram/csaf-validator-lib/optionalTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validateStrict.js';
  export const optionalTest_6_2_1: DocumentTest, optionalTest_6_2_2: DocumentTest, optionalTest_6_2_3: DocumentTest, optionalTest_6_2_4: DocumentTest;
  export const optionalTest_6_2_5: DocumentTest, optionalTest_6_2_6: DocumentTest, optionalTest_6_2_7: DocumentTest, optionalTest_6_2_8: DocumentTest;
  export const optionalTest_6_2_9: DocumentTest, optionalTest_6_2_10: DocumentTest, optionalTest_6_2_11: DocumentTest, optionalTest_6_2_12: DocumentTest;
  export const optionalTest_6_2_13: DocumentTest, optionalTest_6_2_14: DocumentTest, optionalTest_6_2_15: DocumentTest, optionalTest_6_2_16: DocumentTest;
  export const optionalTest_6_2_17: DocumentTest, optionalTest_6_2_18: DocumentTest, optionalTest_6_2_19: DocumentTest, optionalTest_6_2_20: DocumentTest;
}

/**
 * The schema tests, for importing others' documents: `csaf_2_0` is the lenient
 * variant (additional properties allowed). Unlike other tests they are plain
 * synchronous ajv calls, which is what lets the importer stay synchronous.
 */
declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  import type { TestResult } from '@secvisogram/csaf-validator-lib/validateStrict.js';
  export function csaf_2_0(doc: unknown): TestResult;
  export function csaf_2_0_strict(doc: unknown): TestResult;
}

/** The CWE catalogue mandatory test 6.1.11 checks names against. */
declare module '@secvisogram/csaf-validator-lib/cwe.js' {
  export const weaknesses: ReadonlyArray<{ id: string; name: string }>;
}
