import { isEmbargoError } from '../errors.ts';

export interface Output {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export const processOutput: Output = { out: process.stdout, err: process.stderr };

export function printJson(output: Output, value: unknown): void {
  output.out.write(JSON.stringify(value, null, 2) + '\n');
}

/** Prints an error for a person (or as the API's error JSON with --json) and returns the exit code. */
export function reportError(output: Output, error: unknown, json: boolean): number {
  if (!isEmbargoError(error)) {
    output.err.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if (json) {
    output.err.write(JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } }, null, 2) + '\n');
    return 1;
  }
  output.err.write(`error [${error.code}]: ${error.message}\n`);
  for (const detail of error.details) output.err.write(`  ${detail.path}: ${detail.message}\n`);
  return 1;
}
