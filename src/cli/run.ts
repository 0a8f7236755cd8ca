import { reportError, type Output } from './output.ts';

/** Runs a command body, turning any error into a printed message and exit code. */
export type Run = (opts: { json?: boolean }, body: () => Promise<number>) => Promise<void>;

export function createRun(output: Output, setExitCode: (code: number) => void): Run {
  return async (opts, body) => {
    try {
      setExitCode(await body());
    } catch (error) {
      setExitCode(reportError(output, error, opts.json === true));
    }
  };
}
