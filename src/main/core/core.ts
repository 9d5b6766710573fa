/**
 * Opens everything a front end needs: the store, the handler table and the dispatcher. The
 * Electron main process and `rehearse serve` call this; the CLI uses the services directly.
 */
import type { AppInfo } from '../../shared/api/contract';
import { createDispatcher, type Dispatch } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { openStore, type Store } from './store';
import { appVersion } from './util/app-version';

export interface Core {
  store: Store;
  dispatch: Dispatch;
  close(): Promise<void>;
}

export async function openCore(options: {
  dataDir?: string;
  transport: AppInfo['transport'];
}): Promise<Core> {
  const store = await openStore(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  const dispatch = createDispatcher(
    createHandlers({ store, version: appVersion(), transport: options.transport }),
  );
  return { store, dispatch, close: () => store.close() };
}
