/**
 * Every failure leaves as `{ error: { code, message } }` with its status. Every refusal (401, 403,
 * 404, 409, 413, 416, 422, 429) is logged with its reason and the caller's user id when known; bodies and
 * headers are never logged, so no password or token reaches the log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../shared/errors';
import { DB_RETRY_AFTER_SECONDS } from '../db/open-server-db';
import { HttpError, type ServerErrorCode } from './http-error';

const REFUSALS = new Set([401, 403, 404, 409, 413, 416, 422, 429]);

function send(reply: FastifyReply, status: number, code: ServerErrorCode, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

/** The `request refused` log line; also used where a response bypasses the error handler (tus). */
export function logRefusal(request: FastifyRequest, error: HttpError): void {
  request.log.warn(
    {
      refusal: { status: error.status, code: error.code, reason: error.reason },
      route: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      userId: request.principalUserId,
    },
    'request refused',
  );
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError | Error, request, reply) => {
    if (error instanceof HttpError) {
      if (REFUSALS.has(error.status)) logRefusal(request, error);
      else if (error.status >= 500) request.log.error({ reason: error.reason }, 'request failed');
      else request.log.info({ status: error.status, reason: error.reason }, 'request rejected');
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return send(reply, error.status, error.code, error.message);
    }
    // The database dropped the connection or cannot be reached: the client may retry.
    if (isAppError(error) && error.code === 'UNAVAILABLE') {
      request.log.warn({ reason: String(error.cause ?? error.message) }, 'request failed: unavailable');
      reply.header('retry-after', String(DB_RETRY_AFTER_SECONDS));
      return send(reply, 503, error.code, error.message);
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      request.log.info({ status, reason: error.message }, 'request rejected');
      return send(reply, status, 'INVALID_INPUT', error.message);
    }
    request.log.error({ err: error }, 'request failed');
    return send(reply, 500, 'INTERNAL', 'Unexpected server error');
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new HttpError(404, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`);
    logRefusal(request, error);
    return send(reply, 404, error.code, error.message);
  });
}
