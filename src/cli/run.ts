/** Runs one command: opens what it needs, maps errors to exit codes, always releases the store. */
import type { CommandContext } from './context';
import { createContext } from './context';
import { createOutput, reportError } from './output';
import { isPackValidationError, formatPackIssues } from '../main/core/packs/pack-loader';

export type CommandBody = (ctx: CommandContext) => Promise<number>;
export type Run = (body: CommandBody) => Promise<void>;

export function createRunner(getGlobals: () => { json?: boolean; dataDir?: string }): Run {
  return async (body) => {
    const globals = getGlobals();
    const json = Boolean(globals.json);
    const out = createOutput({ json });
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    const ctx = createContext(out, controller.signal, globals.dataDir);
    let code: number;
    try {
      code = await body(ctx);
    } catch (error) {
      if (isPackValidationError(error)) Object.assign(error, { details: formatPackIssues(error.issues) });
      code = reportError(error, json);
    } finally {
      process.off('SIGINT', onSigint);
      await ctx.close();
    }
    process.exitCode = code;
  };
}
