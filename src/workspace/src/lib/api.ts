/**
 * The server's HTTP API as the coach workspace uses it: same-origin fetch with the session cookie
 * (HttpOnly, set by POST /api/auth/login), JSON in and out, and every refusal turned into an
 * ApiError carrying the server's `{ error: { code, message } }` and, for 429, Retry-After.
 */
import type { ErrorCode } from '../../../shared/errors';
import { isErrorCode } from '../../../shared/errors';
import type {
  CoachComment,
  CoachCriterion,
  CommentBody,
  Decision,
  PublishBody,
  ReviewDetail,
  ReviewQueue,
  SaveScoresBody,
} from '../../../shared/review/coach-review';
import type {
  AcceptInvitationBody,
  AcceptInvitationResponse,
  LoginBody,
  LoginResponse,
  MeResponse,
  PairingCode,
  PublicDevice,
  PublicOrganisation,
  PublicProgram,
  PublicUser,
} from '../../../shared/review/identity';
import type { ProgramReadiness, ReadinessCsvTable } from '../../../shared/review/readiness';

// The coach API's types, from the server's own schemas in src/shared/review (one contract).
export type { AiCriterionScore, SubmissionManifest, SubmissionStatus } from '../../../shared/sync/protocol';
export type {
  CoachComment,
  CoachCriterion,
  Decision,
  QueueItem,
  ReviewDetail,
} from '../../../shared/review/coach-review';
export type {
  ProgramReadiness,
  ReadinessCsvTable,
  ScenarioReadiness,
} from '../../../shared/review/readiness';
export type User = PublicUser;
export type Program = PublicProgram;
export type Organisation = PublicOrganisation;
export type Device = PublicDevice;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Seconds to wait, from Retry-After (429). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The code of an answer without a known one (a proxy's 502 page, a body that is not JSON): the
 * server's own mapping read backwards (src/server/http/error-status.ts), INTERNAL otherwise.
 */
const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'INVALID_INPUT',
  416: 'INVALID_INPUT',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'TIMEOUT',
};

/** The server's code when it is one of ours, else the one its status stands for. */
export function errorCodeOf(status: number, serverCode: unknown): ErrorCode {
  return isErrorCode(serverCode) ? serverCode : (CODE_OF_STATUS[status] ?? 'INTERNAL');
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener = () => {};
/** Called when a request answers 401 (the session expired or was ended): the app shows sign-in. */
export function setUnauthorizedListener(listener: UnauthorizedListener): void {
  onUnauthorized = listener;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  options: { signal?: AbortSignal; quietUnauthorized?: boolean } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'UNAVAILABLE',
      'The server could not be reached. Check the connection and try again.',
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: unknown; message?: string } } | null)?.error;
    const retryAfter = Number(response.headers.get('retry-after'));
    if (response.status === 401 && !options.quietUnauthorized) onUnauthorized();
    throw new ApiError(
      response.status,
      errorCodeOf(response.status, error?.code),
      error?.message ?? `The server answered ${response.status} ${response.statusText}`.trim(),
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  return json as T;
}

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : 'Something went wrong.';

const enc = encodeURIComponent;

export const api = {
  acceptInvitation: (token: string, name: string, password: string) =>
    request<AcceptInvitationResponse>(
      'POST',
      '/api/invitations/accept',
      { token, name, password } satisfies AcceptInvitationBody,
      { quietUnauthorized: true },
    ),
  pairingCode: () => request<PairingCode>('POST', '/api/devices/pairing-codes'),
  devices: () => request<{ devices: PublicDevice[] }>('GET', '/api/devices'),
  revokeDevice: (id: string) => request<PublicDevice>('DELETE', `/api/devices/${enc(id)}`),
  me: () => request<MeResponse>('GET', '/api/me', undefined, { quietUnauthorized: true }),
  login: (email: string, password: string) =>
    request<LoginResponse>('POST', '/api/auth/login', { email, password } satisfies LoginBody, {
      quietUnauthorized: true,
    }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  queue: () => request<ReviewQueue>('GET', '/api/review/queue'),
  programs: () => request<{ programs: PublicProgram[] }>('GET', '/api/programs'),
  partners: () => request<{ partners: PublicUser[] }>('GET', '/api/partners'),
  /** Admins only; coaches get 403 and the queue names companies by their partners' email domain. */
  organisations: () => request<{ organisations: PublicOrganisation[] }>('GET', '/api/organisations'),
  review: (id: string, signal?: AbortSignal) =>
    request<ReviewDetail>('GET', `/api/review/submissions/${enc(id)}`, undefined, { signal }),
  saveScores: (id: string, criteria: CoachCriterion[], overallScore: number | null) =>
    request<ReviewDetail>('PUT', `/api/review/submissions/${enc(id)}/scores`, {
      criteria,
      overallScore,
    } satisfies SaveScoresBody),
  comment: (id: string, at: number | null, text: string) =>
    request<CoachComment>('POST', `/api/review/submissions/${enc(id)}/comments`, {
      at,
      text,
    } satisfies CommentBody),
  publish: (id: string, decision: Decision) =>
    request<ReviewDetail>('POST', `/api/review/submissions/${enc(id)}/publish`, {
      decision,
    } satisfies PublishBody),
  readiness: (programId: string, signal?: AbortSignal) =>
    request<ProgramReadiness>('GET', `/api/analytics/programs/${enc(programId)}`, undefined, { signal }),
  readinessCsvUrl: (programId: string, table: ReadinessCsvTable) =>
    `/api/analytics/programs/${enc(programId)}.csv?table=${table}`,
  recordingUrl: (id: string) => `/api/review/submissions/${enc(id)}/recording`,
};
