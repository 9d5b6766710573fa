/** Admins create and list the partner organisations of their vendor. */
import { z } from 'zod';
import { safeText } from '../../shared/text/safe-text';
import { defineRoute } from '../http/route-spec';
import {
  createOrganisation,
  listOrganisationsInVendor,
  toPublicOrganisation,
} from '../identity/organisations';
import { organisationSchema, organisationsResponseSchema } from '../../shared/review/identity';

export const organisationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/organisations',
    summary: 'Create a partner organisation under the caller’s vendor',
    tag: 'organisations',
    auth: 'session',
    roles: ['admin'],
    body: z.object({ name: safeText().trim().min(1).max(200) }),
    response: { status: 201, schema: organisationSchema, description: 'Partner organisation created' },
    handler: async ({ body, principal, deps, now }) =>
      toPublicOrganisation(
        await createOrganisation(
          deps.db,
          { name: body.name, kind: 'partner', vendorId: principal.vendorId },
          now,
        ),
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/organisations',
    summary: 'The caller’s vendor and its partner organisations',
    tag: 'organisations',
    auth: 'session',
    roles: ['admin'],
    response: {
      status: 200,
      schema: organisationsResponseSchema,
      description: 'Organisations',
    },
    handler: async ({ principal, deps }) => ({
      organisations: (await listOrganisationsInVendor(deps.db, principal.vendorId)).map(toPublicOrganisation),
    }),
  }),
];
