/**
 * The renderer's only way to reach the core. Picks the Electron preload bridge when present,
 * otherwise the loopback host of `rehearse serve` (same origin, token from the launch URL).
 */
import type { ApiInput, ApiMethod, ApiOutputs, ApiResult } from '../../../shared/api/contract';
import { deserializeError } from '../../../shared/errors';

interface Bridge {
  invoke(method: string, input: unknown): Promise<ApiResult<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    rehearse?: Bridge;
  }
}

function loopbackBridge(): Bridge {
  const token =
    new URLSearchParams(window.location.hash.slice(1)).get('token') ??
    sessionStorage.getItem('rehearse-token') ??
    '';
  sessionStorage.setItem('rehearse-token', token);
  return {
    async invoke(method, input) {
      const response = await fetch(`/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
      return (await response.json()) as ApiResult<unknown>;
    },
    on() {
      return () => undefined;
    },
  };
}

const bridge: Bridge = window.rehearse ?? loopbackBridge();

export async function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
  const result = await bridge.invoke(method, input);
  if (!result.ok) throw deserializeError(result.error);
  return result.value as ApiOutputs[M];
}

export function on(event: string, listener: (payload: unknown) => void): () => void {
  return bridge.on(event, listener);
}
