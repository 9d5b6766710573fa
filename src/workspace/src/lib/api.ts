/**
 * The server's HTTP API as the coach workspace uses it: same-origin fetch with the session cookie
 * (HttpOnly, set by POST /api/auth/login), JSON in and out, and every refusal turned into an
 * ApiError carrying the server's `{ error: { code, message } }` and, for 429, Retry-After.
 */
import type {
  AiCriterionScore,
  Submission,
  SubmissionManifest,
  SubmissionStatus,
} from '../../../shared/sync/protocol';

export type { AiCriterionScore, SubmissionManifest, SubmissionStatus };

export type CoachComment = NonNullable<Submission['result']>['comments'][number];
export type Decision = 'pass' | 'needs-work';

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'partner' | 'coach' | 'admin';
  orgId: string;
}

export interface QueueItem {
  id: string;
  status: SubmissionStatus;
  programId: string;
  scenarioId: string;
  packVersion: string;
  createdAt: string;
  updatedAt: string;
  partner: { id: string; name: string; email: string };
  aiScore: number | null;
  hasRecording: boolean;
}

export interface CoachCriterion {
  criterionId: string;
  /** 0..1 like the AI's draft; null = not scored. */
  coachScore: number | null;
  note: string | null;
}

export interface ReviewDetail {
  submission: Submission;
  partner: { id: string; name: string; email: string; orgId: string };
  manifest: SubmissionManifest;
  recording: { kind: 'video' | 'audio'; mime: string; bytes: number; available: boolean } | null;
  review: {
    criteria: CoachCriterion[];
    overallScore: number | null;
    decision: Decision | null;
    publishedAt: string | null;
    coachUserId: string;
  } | null;
  comments: CoachComment[];
}

export interface Program {
  id: string;
  title: string;
  vendorOrgId: string;
}

export interface Organisation {
  id: string;
  name: string;
  kind: 'vendor' | 'partner';
}

/** GET /api/analytics/programs/:programId (definitions in docs/server.md, "Readiness analytics"). */
export interface ScenarioReadiness {
  scenarioId: string;
  title: string;
  submissions: number;
  published: number;
  passed: number;
  /** passed / published; null when nothing is published. */
  passRate: number | null;
  scored: number;
  /** Ten bins of the overall coach score (0..100). */
  scoreHistogram: { from: number; to: number; count: number }[];
  mostFailedCriteria: { criterionId: string; title: string; failed: number; scored: number }[];
  medianSecondsToFirstPass: number | null;
  partnersPassed: number;
  partnersNotReady: number;
  agreement: {
    criterionId: string;
    title: string;
    pairs: number;
    meanAbsDiff: number | null;
    withinQuarter: number | null;
  }[];
}

export interface ProgramReadiness {
  program: { id: string; title: string };
  generatedAt: string;
  scenarios: ScenarioReadiness[];
  partnersNotReady: {
    id: string;
    name: string;
    email: string;
    orgId: string;
    orgName: string;
    missingScenarios: string[];
  }[];
  partnerCount: number;
}

export type ReadinessCsvTable = 'scenarios' | 'criteria' | 'partners' | 'agreement';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait, from Retry-After (429). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
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
    throw new ApiError(0, 'NETWORK', 'The server could not be reached. Check the connection and try again.');
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
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    const retryAfter = Number(response.headers.get('retry-after'));
    if (response.status === 401 && !options.quietUnauthorized) onUnauthorized();
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `The server answered ${response.status} ${response.statusText}`.trim(),
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  return json as T;
}

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : 'Something went wrong.';

const enc = encodeURIComponent;

export interface Device {
  id: string;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

export const api = {
  acceptInvitation: (token: string, name: string, password: string) =>
    request<{ user: User }>(
      'POST',
      '/api/invitations/accept',
      { token, name, password },
      { quietUnauthorized: true },
    ),
  pairingCode: () => request<{ code: string; expiresAt: string }>('POST', '/api/devices/pairing-codes'),
  devices: () => request<{ devices: Device[] }>('GET', '/api/devices'),
  revokeDevice: (id: string) => request<void>('DELETE', `/api/devices/${enc(id)}`),
  me: () => request<{ user: User }>('GET', '/api/me', undefined, { quietUnauthorized: true }),
  login: (email: string, password: string) =>
    request<{ user: User; expiresAt: string }>(
      'POST',
      '/api/auth/login',
      { email, password },
      { quietUnauthorized: true },
    ),
  logout: () => request<void>('POST', '/api/auth/logout'),
  queue: () => request<{ submissions: QueueItem[] }>('GET', '/api/review/queue'),
  programs: () => request<{ programs: Program[] }>('GET', '/api/programs'),
  partners: () => request<{ partners: User[] }>('GET', '/api/partners'),
  /** Admins only; coaches get 403 and the queue names companies by their partners' email domain. */
  organisations: () => request<{ organisations: Organisation[] }>('GET', '/api/organisations'),
  review: (id: string, signal?: AbortSignal) =>
    request<ReviewDetail>('GET', `/api/review/submissions/${enc(id)}`, undefined, { signal }),
  saveScores: (id: string, criteria: CoachCriterion[], overallScore: number | null) =>
    request<ReviewDetail>('PUT', `/api/review/submissions/${enc(id)}/scores`, { criteria, overallScore }),
  comment: (id: string, at: number | null, text: string) =>
    request<CoachComment>('POST', `/api/review/submissions/${enc(id)}/comments`, { at, text }),
  publish: (id: string, decision: Decision) =>
    request<ReviewDetail>('POST', `/api/review/submissions/${enc(id)}/publish`, { decision }),
  readiness: (programId: string, signal?: AbortSignal) =>
    request<ProgramReadiness>('GET', `/api/analytics/programs/${enc(programId)}`, undefined, { signal }),
  readinessCsvUrl: (programId: string, table: ReadinessCsvTable) =>
    `/api/analytics/programs/${enc(programId)}.csv?table=${table}`,
  recordingUrl: (id: string) => `/api/review/submissions/${enc(id)}/recording`,
};
