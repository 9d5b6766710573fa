/**
 * One contract between the server and the coaches' workspace: every route the workspace calls
 * validates and answers with the schemas of src/shared/review (which lib/api.ts types its calls
 * with), not with a copy of its own.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { serverRoutes } from '../../../src/server/app';
import * as review from '../../../src/shared/review/coach-review';
import * as identity from '../../../src/shared/review/identity';
import * as readiness from '../../../src/shared/review/readiness';
import { coachCommentSchema } from '../../../src/shared/sync/protocol';

type Expected = { response?: z.ZodType; body?: z.ZodType };

const CONTRACT: Record<string, Expected> = {
  'POST /api/auth/login': { body: identity.loginBodySchema, response: identity.loginResponseSchema },
  'GET /api/me': { response: identity.meResponseSchema },
  'POST /api/invitations/accept': {
    body: identity.acceptInvitationBodySchema,
    response: identity.acceptInvitationResponseSchema,
  },
  'POST /api/devices/pairing-codes': { response: identity.pairingCodeSchema },
  'GET /api/devices': { response: identity.devicesResponseSchema },
  'DELETE /api/devices/:deviceId': { response: identity.deviceSchema },
  'GET /api/programs': { response: identity.programsResponseSchema },
  'GET /api/partners': { response: identity.partnersResponseSchema },
  'GET /api/organisations': { response: identity.organisationsResponseSchema },
  'GET /api/review/queue': { response: review.reviewQueueSchema },
  'GET /api/review/submissions/:submissionId': { response: review.reviewDetailSchema },
  'PUT /api/review/submissions/:submissionId/scores': {
    body: review.saveScoresBodySchema,
    response: review.reviewDetailSchema,
  },
  'POST /api/review/submissions/:submissionId/comments': {
    body: review.commentBodySchema,
    response: coachCommentSchema,
  },
  'POST /api/review/submissions/:submissionId/publish': {
    body: review.publishBodySchema,
    response: review.reviewDetailSchema,
  },
  'GET /api/analytics/programs/:programId': { response: readiness.programReadinessSchema },
};

describe('the coach API contract', () => {
  it.each(Object.entries(CONTRACT))('%s uses the schemas of src/shared/review', (key, expected) => {
    const route = serverRoutes.find((r) => `${r.method} ${r.url}` === key);
    expect(route, key).toBeDefined();
    if (expected.response) expect(route?.response.schema).toBe(expected.response);
    if (expected.body) expect(route?.body).toBe(expected.body);
  });

  it('the CSV route accepts exactly the tables the workspace links to', () => {
    const route = serverRoutes.find((r) => r.url === '/api/analytics/programs/:programId.csv');
    for (const table of readiness.READINESS_CSV_TABLES)
      expect(route?.query?.safeParse({ table }).success, table).toBe(true);
    expect(route?.query?.safeParse({ table: 'secrets' }).success).toBe(false);
  });
});
