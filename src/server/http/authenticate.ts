/**
 * Finds the Principal for a request: the `rehearse_session` cookie, or (where the route allows
 * devices) an `Authorization: Bearer` device token. Refusals say what is wrong without echoing the
 * secret.
 */
import type { FastifyRequest } from 'fastify';
import { readCookie, SESSION_COOKIE } from '../auth/session-cookie';
import { looksLikeToken } from '../auth/secret-tokens';
import { findDeviceByToken } from '../identity/devices';
import type { Principal } from '../identity/principal';
import { findSession } from '../identity/sessions';
import { loadPrincipalUser } from '../identity/users';
import { unauthorized } from '../errors';
import type { AuthMode } from './route-spec';
import type { ServerDeps } from './server-deps';

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

export async function authenticate(
  request: FastifyRequest,
  mode: Exclude<AuthMode, 'none'>,
  deps: ServerDeps,
): Promise<Principal> {
  const now = deps.now();
  const bearer = bearerToken(request);
  if (bearer !== undefined) {
    if (mode === 'session')
      throw unauthorized(
        'This endpoint needs a signed-in web session',
        'device token on a session-only route',
      );
    const device = await findDeviceByToken(deps.db, bearer, now);
    if (device.status === 'revoked')
      throw unauthorized('This device has been revoked; pair it again', `revoked device ${device.deviceId}`);
    if (device.status !== 'valid') throw unauthorized('Invalid device token', 'unknown device token');
    const user = await loadPrincipalUser(deps.db, device.userId);
    if (!user) throw unauthorized('Invalid device token', `device ${device.deviceId} has no user`);
    return { ...user, via: { kind: 'device', deviceId: device.deviceId } };
  }

  if (mode === 'device')
    throw unauthorized(
      'This endpoint needs a paired device’s token',
      'no device token on a device-only route',
    );
  const token = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (!token) throw unauthorized('Sign in first', 'no session cookie');
  if (!looksLikeToken('session', token))
    throw unauthorized('Invalid session; sign in again', 'malformed session cookie');
  const session = await findSession(deps.db, token, now);
  if (session.status === 'expired')
    throw unauthorized('Your session has expired; sign in again', 'expired session');
  if (session.status !== 'valid') throw unauthorized('Invalid session; sign in again', 'unknown session');
  const user = await loadPrincipalUser(deps.db, session.userId);
  if (!user) throw unauthorized('Invalid session; sign in again', `session ${session.sessionId} has no user`);
  return { ...user, via: { kind: 'session', sessionId: session.sessionId } };
}
