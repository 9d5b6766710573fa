/**
 * Validates and dispatches API calls to the handler table. Every transport (Electron IPC, the
 * loopback host, tests) goes through here, so validation and error shaping happen in one place.
 */
import { apiInputSchemas, type ApiMethod, type ApiResult, type Handlers } from '../../../shared/api/contract';
import { AppError, serializeError } from '../../../shared/errors';
import { createLogger } from '../util/logger';

const log = createLogger('api');

export type Dispatch = (method: string, input: unknown) => Promise<ApiResult<unknown>>;

export function isApiMethod(method: string): method is ApiMethod {
  return Object.hasOwn(apiInputSchemas, method);
}

export function createDispatcher(handlers: Handlers): Dispatch {
  return async (method, input) => {
    try {
      if (!isApiMethod(method)) throw new AppError('INVALID_INPUT', `Unknown API method "${method}"`);
      const parsed = apiInputSchemas[method].safeParse(input ?? {});
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const where = first?.path.length ? `${first.path.join('.')}: ` : '';
        throw new AppError(
          'INVALID_INPUT',
          `Invalid input for ${method}: ${where}${first?.message ?? 'invalid'}`,
        );
      }
      const handler = handlers[method] as (i: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      const serialized = serializeError(error);
      if (serialized.code === 'INTERNAL') log.error('API call failed', { method, error: String(error) });
      return { ok: false, error: serialized };
    }
  };
}
