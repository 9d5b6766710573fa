/**
 * The OpenAPI 3.0 description, built from the same route table that registerRoutes serves, with
 * zod 4's own JSON Schema export (`z.toJSONSchema`, target openapi-3.0). Chosen over
 * @fastify/swagger because our routes validate with zod, not with fastify's JSON-schema validator:
 * feeding swagger would mean converting every schema anyway and adding a zod type provider.
 */
import { z } from 'zod';
import type { AnyRouteSpec } from './route-spec';

type JsonObject = Record<string, unknown>;

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as JsonObject;
}

function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function errorResponses(route: AnyRouteSpec): JsonObject {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } },
  });
  return {
    ...(route.body || route.params ? { 400: error('Invalid input') } : {}),
    ...(route.auth === 'none'
      ? {}
      : { 401: error('Not signed in, or the session or device token is invalid') }),
    ...(route.roles ? { 403: error('The caller’s role may not do this') } : {}),
    ...(route.params ? { 404: error('Not found, or not visible to the caller') } : {}),
  };
}

export function buildOpenApiDocument(routes: readonly AnyRouteSpec[], version: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const params = route.params ? jsonSchema(route.params, 'input') : undefined;
    const properties = (params?.properties ?? {}) as Record<string, JsonObject>;
    const query = route.query ? jsonSchema(route.query, 'input') : undefined;
    const queryProperties = (query?.properties ?? {}) as Record<string, JsonObject>;
    const requiredQuery = new Set((query?.required ?? []) as string[]);
    const operation: JsonObject = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method.toLowerCase()}${openApiPath(route.url).replace(/[^A-Za-z0-9]+(.)?/g, (_, c?: string) => (c ?? '').toUpperCase())}`,
      ...(route.auth === 'none'
        ? { security: [] }
        : {
            security: {
              session: [{ session: [] }],
              device: [{ deviceToken: [] }],
              'session-or-device': [{ session: [] }, { deviceToken: [] }],
            }[route.auth],
          }),
      ...(route.roles ? { 'x-roles': route.roles } : {}),
      parameters: [
        ...Object.entries(properties).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
        ...Object.entries(queryProperties).map(([name, schema]) => ({
          name,
          in: 'query',
          required: requiredQuery.has(name),
          schema,
        })),
      ],
      ...(route.rawBody?.contentType
        ? {
            requestBody: {
              required: true,
              content: { [route.rawBody.contentType]: { schema: { type: 'string', format: 'binary' } } },
            },
          }
        : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [route.response.status]: {
          description: route.response.description,
          ...(route.response.schema
            ? { content: { 'application/json': { schema: jsonSchema(route.response.schema, 'output') } } }
            : route.response.contentType
              ? {
                  content: { [route.response.contentType]: { schema: { type: 'string', format: 'binary' } } },
                }
              : {}),
        },
        ...Object.fromEntries(
          Object.entries(route.response.alternatives ?? {}).map(([status, description]) => [
            status,
            {
              description,
              ...(route.response.schema
                ? {
                    content: {
                      'application/json': { schema: jsonSchema(route.response.schema, 'output') },
                    },
                  }
                : {}),
            },
          ]),
        ),
        ...errorResponses(route),
      },
    };
    const path = openApiPath(route.url);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Rehearse server', version },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'rehearse_session' },
        deviceToken: { type: 'http', scheme: 'bearer', description: 'A paired device’s token (rhd_…)' },
      },
    },
    paths,
  };
}
