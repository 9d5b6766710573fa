/** The partners a coach or admin may see. */
import { z } from 'zod';
import { defineRoute } from '../http/route-spec';
import { listVisiblePartners } from '../identity/partners';
import { publicUserSchema } from '../identity/public-shapes';

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
      schema: z.object({ partners: z.array(publicUserSchema) }),
      description: 'Partners',
    },
    handler: async ({ principal, deps }) => ({ partners: await listVisiblePartners(deps.db, principal) }),
  }),
];
