/**
 * The `rehearse` command line. Every command is a thin wrapper over the core services the desktop
 * app uses. Exit codes: see src/cli/exit-codes.ts.
 */
import { Command, CommanderError } from 'commander';
import { appVersion } from '../main/core/util/app-version';
import { registerAttemptsCommands } from './commands/attempts';
import { registerModelsCommands } from './commands/models';
import { registerPacksCommands } from './commands/packs';
import { registerScoreCommand } from './commands/score';
import { registerServeCommand } from './commands/serve';
import { registerServerCommand } from './commands/server';
import { EXIT } from './exit-codes';
import { createRunner } from './run';

export function buildProgram(): Command {
  const program = new Command('rehearse')
    .description('Rehearse: practise partner-certification scenarios with private, on-device feedback')
    .version(appVersion())
    .option('--json', 'print results as JSON (for scripts)')
    .option('--data-dir <dir>', 'data folder (default: REHEARSE_DATA_DIR or the OS app-data folder)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const run = createRunner(() => program.opts<{ json?: boolean; dataDir?: string }>());
  registerPacksCommands(program, run);
  registerAttemptsCommands(program, run);
  registerModelsCommands(program, run);
  registerScoreCommand(program, run);
  registerServeCommand(program, run);
  registerServerCommand(program, run);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors (already printed by commander) exit 2.
      process.exitCode = error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
      return;
    }
    throw error;
  }
}

await main(process.argv);
