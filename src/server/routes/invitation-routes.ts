/** Admins invite people; the invitee accepts once with the token. */
import { z } from 'zod';
import { isAppError } from '../../shared/errors';
import { safeText } from '../../shared/text/safe-text';
import { notFound, rateLimited } from '../errors';
import { defineRoute } from '../http/route-spec';
import { acceptInvitation, createInvitation } from '../identity/invitations';
import { findOrganisationInVendor } from '../identity/organisations';
import {
  acceptInvitationBodySchema,
  acceptInvitationResponseSchema,
  userRoleSchema,
} from '../../shared/review/identity';

export const invitationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/invitations',
    summary:
      'Invite an email to a role in the vendor or one of its partner organisations; returns the one-time token (7 days)',
    tag: 'invitations',
    auth: 'session',
    roles: ['admin'],
    body: z.object({
      email: safeText().pipe(z.email().max(320)),
      role: userRoleSchema,
      orgId: safeText().min(1).max(100),
    }),
    response: {
      status: 201,
      schema: z.object({
        invitationId: z.string(),
        token: z.string(),
        email: z.string(),
        role: userRoleSchema,
        orgId: z.string(),
        expiresAt: z.string(),
      }),
      description: 'Invitation created; the token is shown only now',
    },
    handler: async ({ body, principal, deps, now }) => {
      const org = await findOrganisationInVendor(deps.db, principal.vendorId, body.orgId);
      if (!org)
        throw notFound('No such organisation', `org ${body.orgId} not in vendor ${principal.vendorId}`);
      return createInvitation(
        deps.db,
        { email: body.email, role: body.role, org, invitedBy: principal.user.id },
        now,
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/invitations/accept',
    summary: 'Accept an invitation once: creates the user with this name and password',
    tag: 'invitations',
    auth: 'none',
    body: acceptInvitationBodySchema,
    response: { status: 201, schema: acceptInvitationResponseSchema, description: 'User created' },
    handler: async ({ body, deps, request, now }) => {
      const throttle = deps.throttles.redeemByAddress;
      const verdict = throttle.check(request.ip);
      if (!verdict.allowed)
        throw rateLimited(verdict.retryAfterSeconds, 'invitation redemption throttled per address');
      try {
        return { user: await acceptInvitation(deps.db, body, now) };
      } catch (error) {
        if (isAppError(error) && error.code === 'UNAUTHORIZED') throttle.recordFailure(request.ip);
        throw error;
      }
    },
  }),
];
