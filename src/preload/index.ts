/**
 * The preload bridge: exposes only `invoke` and `on` for the typed API contract, nothing else
 * (contextIsolation and sandbox are on; see src/main/electron/window.ts). Inputs cross IPC by
 * structured clone, so `capture.append`'s Uint8Array arrives in the core as bytes, not JSON. The
 * main process checks the sender and the method; the core's dispatcher validates every input.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const API_CHANNEL = 'rehearse:api';
const EVENT_CHANNEL = 'rehearse:event';

contextBridge.exposeInMainWorld('rehearse', {
  invoke: (method: string, input: unknown): Promise<unknown> =>
    ipcRenderer.invoke(API_CHANNEL, String(method), input),
  on: (event: string, listener: (payload: unknown) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const name = String(event);
    const wrapped = (_event: IpcRendererEvent, eventName: unknown, payload: unknown) => {
      if (eventName === name) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
});
