/**
 * The renderer's only way to reach the core. Picks the Electron preload bridge when present,
 * otherwise the loopback host of `rehearse serve` (same origin, token from the launch URL):
 * calls as POST /api/<method>, bytes as a raw body, events over one WebSocket.
 */
import {
  BINARY_METHODS,
  type ApiEventName,
  type ApiEvents,
  type ApiInput,
  type ApiMethod,
  type ApiOutputs,
  type ApiResult,
} from '../../../shared/api/contract';
import { deserializeError } from '../../../shared/errors';

export interface Bridge {
  invoke(method: string, input: unknown): Promise<ApiResult<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** A URL the <video>/<audio> element can play for a stored recording. */
  mediaUrl(recordingId: string): string;
}

declare global {
  interface Window {
    rehearse?: Omit<Bridge, 'mediaUrl'>;
  }
}

const isBinary = (method: string) => (BINARY_METHODS as readonly string[]).includes(method);

function loopbackBridge(): Bridge {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  const token = fromHash ?? sessionStorage.getItem('rehearse-token') ?? '';
  sessionStorage.setItem('rehearse-token', token);
  if (fromHash) history.replaceState(null, '', window.location.pathname); // keep the token out of the address bar

  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;
  const connect = () => {
    const url = new URL(`/api/events?token=${encodeURIComponent(token)}`, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.onopen = () => (retry = 500);
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
    socket.onclose = () => {
      socket = null;
      // The host went away (restart, sleep): reconnect with backoff while anyone listens.
      setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  };

  const send = async (method: string, input: unknown): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (isBinary(method)) {
      const { data, ...rest } = input as { data: Uint8Array };
      return fetch(`/api/${encodeURIComponent(method)}?input=${encodeURIComponent(JSON.stringify(rest))}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body: data as Uint8Array<ArrayBuffer>,
      });
    }
    return fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
  };

  return {
    async invoke(method, input) {
      let response: Response;
      try {
        response = await send(method, input);
      } catch {
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: 'Lost the connection to Rehearse',
            hint: 'Is `rehearse serve` still running? Start it again and reload this page.',
          },
        };
      }
      if (response.status === 401)
        return {
          ok: false,
          error: {
            code: 'UNAUTHORIZED',
            message: 'This page is not signed in to Rehearse',
            hint: 'Open the address that `rehearse serve` printed (it carries a per-launch token).',
          },
        };
      return (await response.json()) as ApiResult<unknown>;
    },
    on(event, listener) {
      if (!socket) connect();
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    mediaUrl: (recordingId) => `/media/${encodeURIComponent(recordingId)}?token=${encodeURIComponent(token)}`,
  };
}

function electronBridge(bridge: NonNullable<Window['rehearse']>): Bridge {
  return {
    ...bridge,
    mediaUrl: (recordingId) => `rehearse-media://recording/${encodeURIComponent(recordingId)}`,
  };
}

const bridge: Bridge = window.rehearse ? electronBridge(window.rehearse) : loopbackBridge();

export async function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
  const result = await bridge.invoke(method, input);
  if (!result.ok) throw deserializeError(result.error);
  return result.value as ApiOutputs[M];
}

export function on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
  return bridge.on(event, listener as (payload: unknown) => void);
}

export const mediaUrl = (recordingId: string): string => bridge.mediaUrl(recordingId);
