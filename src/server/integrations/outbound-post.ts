/**
 * One guarded POST for the outbox worker: node:http(s) with the guard's pinned lookup (every
 * resolved address checked, the socket connects to exactly those), redirects never followed (a 3xx
 * is a failure), the response body never read. What it reports is coarse on purpose — "HTTP 500",
 * "connection failed", "address not allowed", "timed out" — because the vendor admin sees it: the
 * receiver's body or the exact socket error would turn the webhook into a way to read or map
 * whatever the server can reach.
 */
import http from 'node:http';
import https from 'node:https';
import { OutboundRefusal, type OutboundGuard } from './outbound-guard';

export type PostOutcome =
  { ok: true; status: number } | { ok: false; status: number | null; error: string; final?: boolean };

/** The only texts that reach `lastError`. */
export const OUTBOUND_ERRORS = {
  notAllowed: 'address not allowed',
  timedOut: 'timed out',
  connection: 'connection failed',
} as const;

/** Refused before any byte left: final, so a refused target is not probed again and again. */
const refusedOutcome: PostOutcome = {
  ok: false,
  status: null,
  error: OUTBOUND_ERRORS.notAllowed,
  final: true,
};

export async function guardedPost(
  guard: OutboundGuard,
  target: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostOutcome> {
  let url: URL;
  try {
    url = guard.checkTarget(target);
  } catch (error) {
    if (error instanceof OutboundRefusal) return refusedOutcome;
    throw error;
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Rehearse-Integrations/1',
          ...headers,
          'content-length': String(Buffer.byteLength(body)),
        },
        // One connection per delivery: a pooled socket would skip the lookup, hence the check.
        agent: false,
        lookup: guard.pinnedLookup(url),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        // Drained, never read: nothing of the receiver's answer but its status is kept.
        response.resume();
        response.on('error', () => undefined);
        if (status >= 200 && status < 300) finish({ ok: true, status });
        else
          finish({
            ok: false,
            status,
            error:
              status >= 300 && status < 400
                ? `HTTP ${status} (redirects are not followed)`
                : `HTTP ${status}`,
          });
      },
    );
    request.on('error', (error) => {
      if (error instanceof OutboundRefusal) finish(refusedOutcome);
      else if (error.name === 'AbortError' || error.name === 'TimeoutError')
        finish({ ok: false, status: null, error: OUTBOUND_ERRORS.timedOut });
      else finish({ ok: false, status: null, error: OUTBOUND_ERRORS.connection });
    });
    request.end(body);
  });
}
