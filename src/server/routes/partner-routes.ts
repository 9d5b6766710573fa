/** The partners a coach or admin may see. */
import { defineRoute } from '../http/route-spec';
import { listVisiblePartners } from '../identity/partners';
import { partnersResponseSchema } from '../../shared/review/identity';

export const partnerRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/partners',
    summary: 'Partners of the programs the caller coaches (coach) or of the whole vendor (admin)',
    tag: 'partners',
    auth: 'session',
    roles: ['coach', 'admin'],
    response: {
      status: 200,
      schema: partnersResponseSchema,
      description: 'Partners',
    },
    handler: async ({ principal, deps }) => ({ partners: await listVisiblePartners(deps.db, principal) }),
  }),
];
