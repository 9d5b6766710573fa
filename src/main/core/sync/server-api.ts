/**
 * The JSON half of the sync protocol (src/shared/sync/protocol.ts) as the desktop app speaks it:
 * pairing, posting a manifest, reading a submission back. Every failure becomes an AppError of the
 * shared codes (sync-errors.ts): UNAVAILABLE and RATE_LIMITED are worth retrying, the rest are refusals.
 */
import { z } from 'zod';
import type { AppError, ErrorCode } from '../../../shared/errors';
import { protocolErrorSchema, submissionSchema, type Submission } from '../../../shared/sync/protocol';
import { answerError, unreachable } from './sync-errors';

export type FetchLike = typeof fetch;

const REQUEST_TIMEOUT_MS = 30_000;

/** Strips a trailing slash so paths join cleanly. */
export function normaliseServerUrl(serverUrl: string): string {
  return serverUrl.trim().replace(/\/+$/, '');
}

/** The server's own words from a refusal (`{ error: { message } }`), else a short status line. */
export function refusalMessage(status: number, body: string): string {
  try {
    const parsed = protocolErrorSchema.safeParse(JSON.parse(body));
    if (parsed.success) return parsed.data.error.message;
  } catch {
    // not JSON: fall through
  }
  const text = body.trim().slice(0, 200);
  return text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
}

async function request(
  fetchImpl: FetchLike,
  url: string,
  init: { method: string; token?: string; body?: unknown; signal?: AbortSignal },
): Promise<{ status: number; body: string; retryAfter: string | null }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const signals = [AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(init.signal ? [init.signal] : [])];
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: init.method,
      headers,
      ...(init.body !== undefined && {
        body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      }),
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw unreachable(`Could not reach the server (${reason})`, error);
  }
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    throw unreachable('The connection dropped while reading the answer', error);
  }
  return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
}

/** A refused request: the server's own words under the code of its status. */
function refusal(answer: { status: number; body: string; retryAfter: string | null }): AppError {
  return answerError(answer.status, refusalMessage(answer.status, answer.body), {
    retryAfter: answer.retryAfter,
  });
}

/**
 * An answer that is not the protocol's: UNAVAILABLE by default (a proxy's page while the server is
 * down clears up); pairing passes NOT_FOUND, as no Rehearse server answered there.
 */
function parseJson<T>(schema: z.ZodType<T>, body: string, what: string, code: ErrorCode = 'UNAVAILABLE'): T {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw answerError(200, `The server's answer to ${what} is not JSON: is this a Rehearse server?`, {
      code,
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw answerError(200, `The server's answer to ${what} is not what Rehearse expects`, { code });
  return parsed.data;
}

const pairResponseSchema = z.object({ token: z.string().min(8).max(512) });

/** POST /api/devices/pair → the device token. No pairing route there (404, 405, not JSON): NOT_FOUND. */
export async function pairDevice(
  fetchImpl: FetchLike,
  serverUrl: string,
  input: { code: string; deviceName: string },
): Promise<string> {
  const answer = await request(fetchImpl, `${serverUrl}/api/devices/pair`, { method: 'POST', body: input });
  if (answer.status === 404 || answer.status === 405)
    throw answerError(answer.status, refusalMessage(answer.status, answer.body), { code: 'NOT_FOUND' });
  if (answer.status !== 200 && answer.status !== 201) throw refusal(answer);
  return parseJson(pairResponseSchema, answer.body, 'pairing', 'NOT_FOUND').token;
}

/** POST /api/submissions: 200 (already there, same manifest) and 201 (new) both succeed. */
export async function postSubmission(
  fetchImpl: FetchLike,
  serverUrl: string,
  token: string,
  manifestJson: string,
  signal?: AbortSignal,
): Promise<Submission> {
  const answer = await request(fetchImpl, `${serverUrl}/api/submissions`, {
    method: 'POST',
    token,
    body: manifestJson,
    ...(signal && { signal }),
  });
  if (answer.status !== 200 && answer.status !== 201) throw refusal(answer);
  return parseJson(submissionSchema, answer.body, 'the submission');
}

/** GET /api/submissions/:id (the published result is present only once a coach published it). */
export async function getSubmission(
  fetchImpl: FetchLike,
  serverUrl: string,
  token: string,
  submissionId: string,
  signal?: AbortSignal,
): Promise<Submission> {
  const answer = await request(
    fetchImpl,
    `${serverUrl}/api/submissions/${encodeURIComponent(submissionId)}`,
    {
      method: 'GET',
      token,
      ...(signal && { signal }),
    },
  );
  if (answer.status !== 200) throw refusal(answer);
  return parseJson(submissionSchema, answer.body, 'the submission');
}
