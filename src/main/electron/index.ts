/**
 * Electron main process: glue only. The core (store, analysis, model installs) runs in a utility
 * process (./core-process.ts) supervised by ./core-supervisor.ts; main owns the window, the menu,
 * the IPC relay (sender and method checked, see ./trust.ts), the `rehearse-app:` protocol (the
 * renderer) and the `rehearse-media:` protocol (recordings), the security policy, the single-instance lock and a graceful quit.
 */
import { app, dialog, ipcMain, safeStorage, type BrowserWindow } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatErrorLine, type SerializedError } from '../../shared/errors';
import { dataPaths, resolveDataDir } from '../core/paths';
import { createLogger } from '../core/util/logger';
import { coreProcessSpawner } from './core-host';
import { createCoreSupervisor } from './core-supervisor';
import { handleAppProtocol, registerPrivilegedSchemes } from './app-protocol';
import { APP_ENTRY_URL } from './app-scheme';
import { handleMediaProtocol } from './media-protocol';
import { installAppMenu } from './menu';
import { applySecurityPolicy, enableSandboxEverywhere } from './security';
import { answerSecretRequest } from './secret-storage';
import { checkApiCall } from './trust';
import { createMainWindow } from './window';

const API_CHANNEL = 'rehearse:api';
const EVENT_CHANNEL = 'rehearse:event';

const log = createLogger('electron');

// One data folder for the app, the CLI and `rehearse serve` (see src/main/core/paths.ts).
const dataDir = resolveDataDir();
// The dev server only in development: a packaged app never loads remote content, whatever the env says.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined;
// The bundled renderer is served from its own origin, rehearse-app://app (./app-protocol.ts), not
// file://: a real origin for 'self' and the sender checks, and the CSP as a header.
const appUrl = devServerUrl ?? APP_ENTRY_URL;
const rendererRoot = join(__dirname, '../renderer');

let mainWindow: BrowserWindow | undefined;
let quitState: 'running' | 'closing' | 'closed' = 'running';

const liveWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined);

const supervisor = createCoreSupervisor({
  spawn: coreProcessSpawner({
    modulePath: join(__dirname, 'core-process.js'),
    dataDir,
    resourcesPath: app.isPackaged ? process.resourcesPath : undefined,
    // Packaged: resources/packs is shipped as extraResources, outside app.asar.
    ...(app.isPackaged ? { demoPackPath: join(process.resourcesPath, 'packs', 'demo') } : {}),
  }),
  // The core asks for safeStorage (only here in main) to seal the sync device token.
  answerSecret: (request) => answerSecretRequest(request, safeStorage),
  onEvent(event, payload) {
    liveWindow()?.webContents.send(EVENT_CHANNEL, event, payload);
  },
  onFatal(error) {
    dialog.showErrorBox('Rehearse cannot start', formatErrorLine(error));
    void supervisor.stop().finally(() => app.exit(1));
  },
  onGiveUp(error) {
    void offerRelaunch(error);
  },
  onRestart(code) {
    log.error('the core process crashed; restarted it', { exitCode: code });
  },
});

async function offerRelaunch(error: SerializedError): Promise<void> {
  log.error('the core process crashed again; not restarting it', { error });
  const options = {
    type: 'error' as const,
    message: 'Rehearse stopped working in the background',
    detail: `${error.message}. Your recordings and results are saved. Restart Rehearse to continue.`,
    buttons: ['Restart Rehearse', 'Quit'],
    defaultId: 0,
    cancelId: 1,
  };
  const window = liveWindow();
  const { response } = window
    ? await dialog.showMessageBox(window, options)
    : await dialog.showMessageBox(options);
  if (response === 0) app.relaunch();
  app.quit();
}

function openWindow(): void {
  mainWindow = createMainWindow({ preload: join(__dirname, '../preload/index.cjs'), appUrl });
  mainWindow.on('closed', () => (mainWindow = undefined));
}

function relayApiCalls(): void {
  ipcMain.handle(API_CHANNEL, (event, method: unknown, input: unknown) => {
    const frame = event.senderFrame;
    const refused = checkApiCall(
      {
        webContentsId: event.sender.id,
        frameUrl: frame?.url,
        isTopFrame: frame !== null && frame !== undefined && frame.parent === null,
      },
      { webContentsId: liveWindow()?.webContents.id, appUrl },
      method,
    );
    if (refused) {
      log.warn('refused an API call', { code: refused.code, url: frame?.url });
      return { ok: false, error: refused };
    }
    return supervisor.call(method as Parameters<typeof supervisor.call>[0], input);
  });
}

/**
 * Chromium's profile (caches, local storage, the single-instance lock) goes into `<data folder>/electron`.
 * Its default folder on macOS and Windows would be the data folder itself (both are named after the
 * product), mixing Chromium's files with the database and recordings. One lock per data folder also
 * matches the core's own lock: two instances with different REHEARSE_DATA_DIR may run side by side.
 */
function useProfileInDataFolder(): void {
  const profile = join(dataDir, 'electron');
  try {
    mkdirSync(profile, { recursive: true });
    app.setPath('userData', profile);
  } catch (error) {
    // The core reports an unwritable data folder with a proper message; Chromium keeps its default.
    log.warn('could not create the Chromium profile folder', { profile, error: String(error) });
  }
}

async function main(): Promise<void> {
  useProfileInDataFolder();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  enableSandboxEverywhere();
  registerPrivilegedSchemes();

  app.on('second-instance', () => {
    const window = liveWindow();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Close the core before quitting: it finishes writes, stops jobs and releases the data-folder lock.
  app.on('before-quit', (event) => {
    if (quitState === 'closed') return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    void supervisor.stop().finally(() => {
      quitState = 'closed';
      app.quit();
    });
  });

  await app.whenReady();
  applySecurityPolicy({ appUrl, window: () => liveWindow()?.webContents });
  handleAppProtocol(rendererRoot);
  handleMediaProtocol((recordingId) => supervisor.media(recordingId), dataPaths(dataDir).recordings);
  relayApiCalls();
  installAppMenu({ isDev: devServerUrl !== undefined });
  supervisor.start();
  openWindow();

  app.on('activate', () => {
    if (!liveWindow() && quitState === 'running') openWindow();
  });
}

void main();
