/**
 * The JSON half of the sync protocol (src/shared/sync/protocol.ts) as the desktop app speaks it:
 * pairing, posting a manifest, reading a submission back. Every failure becomes a SyncHttpError that
 * says whether trying again later can help (offline, 5xx, 429) or not (a refusal).
 */
import { z } from 'zod';
import { protocolErrorSchema, submissionSchema, type Submission } from '../../../shared/sync/protocol';

export type FetchLike = typeof fetch;

export class SyncHttpError extends Error {
  /** HTTP status, or null when the server could not be reached at all. */
  readonly status: number | null;
  /** True when the same request may succeed later (network down, 5xx, 429). */
  readonly transient: boolean;

  constructor(message: string, status: number | null, options?: { cause?: unknown; transient?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncHttpError';
    this.status = status;
    this.transient = options?.transient ?? (status === null || status === 429 || status >= 500);
  }
}

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
): Promise<{ status: number; body: string }> {
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
    throw new SyncHttpError(`Could not reach the server (${reason})`, null, { cause: error });
  }
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    throw new SyncHttpError('The connection dropped while reading the answer', null, { cause: error });
  }
  return { status: response.status, body };
}

function parseJson<T>(schema: z.ZodType<T>, body: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new SyncHttpError(`The server's answer to ${what} is not JSON: is this a Rehearse server?`, 502);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new SyncHttpError(`The server's answer to ${what} is not what Rehearse expects`, 502);
  return parsed.data;
}

const pairResponseSchema = z.object({ token: z.string().min(8).max(512) });

/** POST /api/devices/pair → the device token. */
export async function pairDevice(
  fetchImpl: FetchLike,
  serverUrl: string,
  input: { code: string; deviceName: string },
): Promise<string> {
  const { status, body } = await request(fetchImpl, `${serverUrl}/api/devices/pair`, {
    method: 'POST',
    body: input,
  });
  if (status !== 200 && status !== 201) throw new SyncHttpError(refusalMessage(status, body), status);
  return parseJson(pairResponseSchema, body, 'pairing').token;
}

/** POST /api/submissions: 200 (already there, same manifest) and 201 (new) both succeed. */
export async function postSubmission(
  fetchImpl: FetchLike,
  serverUrl: string,
  token: string,
  manifestJson: string,
  signal?: AbortSignal,
): Promise<Submission> {
  const { status, body } = await request(fetchImpl, `${serverUrl}/api/submissions`, {
    method: 'POST',
    token,
    body: manifestJson,
    ...(signal && { signal }),
  });
  if (status !== 200 && status !== 201) throw new SyncHttpError(refusalMessage(status, body), status);
  return parseJson(submissionSchema, body, 'the submission');
}

/** GET /api/submissions/:id (the published result is present only once a coach published it). */
export async function getSubmission(
  fetchImpl: FetchLike,
  serverUrl: string,
  token: string,
  submissionId: string,
  signal?: AbortSignal,
): Promise<Submission> {
  const { status, body } = await request(
    fetchImpl,
    `${serverUrl}/api/submissions/${encodeURIComponent(submissionId)}`,
    { method: 'GET', token, ...(signal && { signal }) },
  );
  if (status !== 200) throw new SyncHttpError(refusalMessage(status, body), status);
  return parseJson(submissionSchema, body, 'the submission');
}
