/** What every command gets: its output channel and a way to open the store once. */
import { openStore, type Store } from '../main/core/store';
import type { Output } from './output';

export interface CommandContext {
  out: Output;
  /** Opens the store (locking the data folder) on first use; closed when the command ends. */
  store(): Promise<Store>;
  /** Aborted on Ctrl-C, so long work stops cleanly. */
  signal: AbortSignal;
  /** The --data-dir option, when given. */
  dataDir: string | undefined;
}

export function createContext(
  out: Output,
  signal: AbortSignal,
  dataDir?: string,
): CommandContext & { close(): Promise<void> } {
  let opened: Promise<Store> | undefined;
  return {
    out,
    signal,
    dataDir,
    store() {
      opened ??= openStore(dataDir === undefined ? {} : { dataDir });
      return opened;
    },
    async close() {
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}
