/** Programs of the vendor, and who takes (partner organisations) and coaches (coaches) each. */
import { z } from 'zod';
import { safeText } from '../../shared/text/safe-text';
import { defineRoute } from '../http/route-spec';
import {
  assignCoach,
  assignPartnerOrganisation,
  createProgram,
  listProgramsFor,
  toPublicProgram,
} from '../identity/programs';
import { programSchema, programsResponseSchema } from '../../shared/review/identity';
import { idSchema } from '../../shared/pack/schema';

const id = safeText().min(1).max(100);

export const programRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/programs',
    summary:
      'Create a program owned by the caller’s vendor; give `id` = the scenario pack’s program id so the desktop app’s submissions find it',
    tag: 'programs',
    auth: 'session',
    roles: ['admin'],
    body: z.object({ title: safeText().trim().min(1).max(200), id: idSchema.optional() }),
    response: { status: 201, schema: programSchema, description: 'Program created' },
    handler: async ({ body, principal, deps, now }) =>
      toPublicProgram(await createProgram(deps.db, principal.vendorId, body.title, now, body.id)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/programs',
    summary:
      'Programs visible to the caller: all of the vendor’s (admin), coached (coach), taken by their organisation (partner)',
    tag: 'programs',
    auth: 'session',
    response: {
      status: 200,
      schema: programsResponseSchema,
      description: 'Programs',
    },
    handler: async ({ principal, deps }) => ({
      programs: (await listProgramsFor(deps.db, principal)).map(toPublicProgram),
    }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/programs/:programId/partners/:orgId',
    summary: 'A partner organisation takes this program (idempotent)',
    tag: 'programs',
    auth: 'session',
    roles: ['admin'],
    params: z.object({ programId: id, orgId: id }),
    response: { status: 204, description: 'Assigned' },
    handler: async ({ params, principal, deps, now }) =>
      assignPartnerOrganisation(deps.db, principal.vendorId, params.programId, params.orgId, now),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/programs/:programId/coaches/:userId',
    summary: 'A coach of the vendor coaches this program (idempotent)',
    tag: 'programs',
    auth: 'session',
    roles: ['admin'],
    params: z.object({ programId: id, userId: id }),
    response: { status: 204, description: 'Assigned' },
    handler: async ({ params, principal, deps, now }) =>
      assignCoach(deps.db, principal.vendorId, params.programId, params.userId, now),
  }),
];
