import { Command } from 'commander';
import { registerAdvisoryCommands } from './advisory-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerBackupCommands } from './backup-commands.ts';
import { registerKeysCommands } from './keys-commands.ts';
import { processOutput, type Output } from './output.ts';
import { registerPolicyCommands } from './policy-commands.ts';
import { registerProjectCommands } from './project-commands.ts';
import { createRun } from './run.ts';
import { registerServerCommands } from './server-commands.ts';

export function createProgram(output: Output, setExitCode: (code: number) => void): Command {
  const program = new Command('embargo')
    .description('Embargo: coordinated vulnerability disclosure, self-hosted')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => output.out.write(s), writeErr: (s) => output.err.write(s) })
    .exitOverride();
  const run = createRun(output, setExitCode);
  registerServerCommands(program, run, output);
  registerPolicyCommands(program, run, output);
  registerProjectCommands(program, run, output);
  registerAuditCommands(program, run, output);
  registerKeysCommands(program, run, output);
  registerAdvisoryCommands(program, run, output);
  registerBackupCommands(program, run, output);
  return program;
}

export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  let exitCode = 0;
  const program = createProgram(output, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // commander throws on --help (exit 0) and on usage errors (exit 1) because of exitOverride.
    const code = (error as { exitCode?: number }).exitCode;
    return typeof code === 'number' ? code : 1;
  }
  return exitCode;
}
