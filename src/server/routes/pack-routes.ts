/** Scenario pack versions per program, uploaded by the vendor's admins. */
import { z } from 'zod';
import { scenarioPackSchema } from '../../shared/pack/schema';
import { safeText, withSafeStrings } from '../../shared/text/safe-text';
import { defineRoute } from '../http/route-spec';
import { storePackVersion } from '../submissions/program-packs';

const packVersionsSchema = z.object({
  programId: z.string(),
  versions: z.array(z.object({ version: z.string(), sha256: z.string(), uploadedAt: z.string() })),
});

export const packRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/programs/:programId/packs',
    summary:
      'Store a scenario pack version of the program (its program.id must be the program’s id); the same version again must have the same content',
    tag: 'programs',
    auth: 'session',
    roles: ['admin'],
    params: z.object({ programId: safeText().min(1).max(100) }),
    body: z.object({ pack: withSafeStrings(scenarioPackSchema) }),
    bodyLimit: 4 * 1024 * 1024,
    response: {
      status: 201,
      schema: packVersionsSchema,
      description: 'Version stored; the versions the server knows',
      alternatives: { 200: 'This version was already stored with the same content' },
    },
    handler: async ({ params, body, principal, deps, request, reply, now }) => {
      const { created, versions } = await storePackVersion(
        deps.db,
        principal,
        params.programId,
        body.pack,
        now,
      );
      if (created)
        request.log.info({ programId: params.programId, version: body.pack.version }, 'pack version stored');
      else reply.code(200);
      return { programId: params.programId, versions };
    },
  }),
];
