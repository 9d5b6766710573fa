/**
 * Electron main process: glue only. Opens the store through the same core services as the CLI and
 * `rehearse serve`, relays the typed API over IPC (validating the sender), and opens the window.
 */
import { app, BrowserWindow, ipcMain, dialog } from 'electron';
import { join } from 'node:path';
import { openCore } from '../core/core';
import { resolveDataDir } from '../core/paths';
import { formatErrorLine, serializeError } from '../../shared/errors';

const API_CHANNEL = 'rehearse:api';

// One data folder for the app, the CLI and `rehearse serve` (see src/main/core/paths.ts).
const dataDir = resolveDataDir();

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  let core: Awaited<ReturnType<typeof openCore>>;
  try {
    core = await openCore({ dataDir, transport: 'electron' });
  } catch (error) {
    dialog.showErrorBox('Rehearse cannot start', formatErrorLine(serializeError(error)));
    app.exit(1);
    return;
  }

  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    show: false,
    title: 'Rehearse',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const rendererOrigin = process.env.ELECTRON_RENDERER_URL;

  ipcMain.handle(API_CHANNEL, (event, method: unknown, input: unknown) => {
    // Only our own window's top frame may call the core.
    const url = event.senderFrame?.url ?? '';
    const trusted = rendererOrigin ? url.startsWith(rendererOrigin) : url.startsWith('file://');
    if (event.sender !== window.webContents || !trusted || typeof method !== 'string') {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Untrusted sender' } };
    }
    return core.dispatch(method, input);
  });

  // No navigation away from the app and no new windows: the renderer shows only local content.
  window.webContents.on('will-navigate', (e) => e.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.once('ready-to-show', () => window.show());

  if (rendererOrigin) await window.loadURL(rendererOrigin);
  else await window.loadFile(join(__dirname, '../renderer/index.html'));

  app.on('window-all-closed', () => {
    void core.close().finally(() => app.quit());
  });
}

void main();
