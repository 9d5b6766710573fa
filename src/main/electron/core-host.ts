/**
 * Forks the core's utility process (out/main/core-process.js) and wraps it for the pure supervisor
 * in ./core-supervisor.ts, which owns the restart and shutdown logic.
 */
import { utilityProcess } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { coreProcessArgv, type CoreProcessArgs } from './core-channel';
import type { CoreProcessHandle } from './core-supervisor';

export interface CoreHostOptions extends CoreProcessArgs {
  /** The bundled entry, `out/main/core-process.js` (inside app.asar when packaged). */
  modulePath: string;
  /** `process.resourcesPath` when packaged, else undefined. */
  resourcesPath: string | undefined;
}

/**
 * The environment for the utility process. In a packaged app the whisper.cpp tools ship as
 * extraResources under `<resources>/bin/<platform>-<arch>/` (see electron-builder.yml); they are
 * handed to the core through its documented override so the lookup does not depend on
 * `process.resourcesPath` being set inside a utility process.
 */
function coreEnv(resourcesPath: string | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (resourcesPath && !env.REHEARSE_WHISPER_BIN) {
    const exe = process.platform === 'win32' ? 'whisper-cli.exe' : 'whisper-cli';
    const cli = path.join(resourcesPath, 'bin', `${process.platform}-${process.arch}`, exe);
    if (fs.existsSync(cli)) env.REHEARSE_WHISPER_BIN = cli;
  }
  return env;
}

/** A `spawn` for createCoreSupervisor. Call only after `app.whenReady()`. */
export function coreProcessSpawner(options: CoreHostOptions): () => CoreProcessHandle {
  return () => {
    const child = utilityProcess.fork(
      options.modulePath,
      coreProcessArgv({
        dataDir: options.dataDir,
        ...(options.demoPackPath === undefined ? {} : { demoPackPath: options.demoPackPath }),
      }),
      { serviceName: 'Rehearse core', stdio: 'inherit', env: coreEnv(options.resourcesPath) },
    );
    return {
      postMessage: (message) => child.postMessage(message),
      kill: () => void child.kill(),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.on('exit', listener),
    };
  };
}
