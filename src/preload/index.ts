/**
 * The preload bridge: exposes only `invoke` and `on` for the typed API contract, nothing else
 * (contextIsolation and sandbox are on; see src/main/electron/window.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';

const API_CHANNEL = 'rehearse:api';
const EVENT_CHANNEL = 'rehearse:event';

contextBridge.exposeInMainWorld('rehearse', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(API_CHANNEL, method, input),
  on: (event: string, listener: (payload: unknown) => void) => {
    const wrapped = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
});
