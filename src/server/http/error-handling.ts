/**
 * Every failure leaves as `{ error: { code, message } }` with the status error-status.ts gives its
 * code. Every refusal (401, 403, 404, 409, 413, 416, 422, 429) is logged with its reason and the
 * caller's user id when known; bodies and headers are never logged, so no password or token
 * reaches the log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type ErrorCode } from '../../shared/errors';
import { httpHeadersOf, httpStatusOf } from './error-status';

const REFUSALS = new Set([401, 403, 404, 409, 413, 416, 422, 429]);

function send(reply: FastifyReply, status: number, code: ErrorCode, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

/** The `request refused` log line; also used where a response bypasses the error handler (tus). */
export function logRefusal(request: FastifyRequest, error: AppError): void {
  request.log.warn(
    {
      refusal: { status: httpStatusOf(error), code: error.code, reason: error.reason ?? error.message },
      route: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      userId: request.principalUserId,
    },
    'request refused',
  );
}

/**
 * What a tus hook throws to answer with the error's status and our usual body; the refusal is
 * logged when the fastify request is known.
 */
export function tusRefusal(error: AppError, request?: FastifyRequest): { status_code: number; body: string } {
  if (request) logRefusal(request, error);
  return {
    status_code: httpStatusOf(error),
    body: JSON.stringify({ error: { code: error.code, message: error.message } }),
  };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (isAppError(error)) {
      const status = httpStatusOf(error);
      const reason = error.reason ?? error.message;
      if (REFUSALS.has(status)) logRefusal(request, error);
      // The database dropped the connection or cannot be reached: the client may retry.
      else if (error.code === 'UNAVAILABLE')
        request.log.warn({ reason: String(error.cause ?? reason) }, 'request failed: unavailable');
      else if (status >= 500) request.log.error({ reason }, 'request failed');
      else request.log.info({ status, reason }, 'request rejected');
      for (const [name, value] of Object.entries(httpHeadersOf(error))) reply.header(name, value);
      return send(reply, status, error.code, error.message);
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
    const error = new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`);
    logRefusal(request, error);
    return send(reply, 404, error.code, error.message);
  });
}
