/** Password sign-in for the web workspace, sign-out, and who am I. */
import { loginBodySchema, loginResponseSchema, meResponseSchema } from '../../shared/review/identity';
import { verifyAgainstDummy, verifyPassword } from '../auth/password-hashing';
import { clearedSessionCookie, sessionCookie } from '../auth/session-cookie';
import { rateLimited, unauthorized } from '../errors';
import { defineRoute } from '../http/route-spec';
import { createSession, deleteSession } from '../identity/sessions';
import { findUserByEmail, normaliseEmail, toPublicUser } from '../identity/users';

export const authRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/auth/login',
    summary:
      'Sign in with email and password; sets the rehearse_session cookie. 5 failures per 15 min per address or email → 429',
    tag: 'auth',
    auth: 'none',
    body: loginBodySchema,
    response: {
      status: 200,
      schema: loginResponseSchema,
      description: 'Signed in',
    },
    handler: async ({ body, deps, request, reply, now }) => {
      const email = normaliseEmail(body.email);
      const { loginByAddress, loginByEmail } = deps.throttles;
      for (const [throttle, key, what] of [
        [loginByAddress, request.ip, 'address'],
        [loginByEmail, email, 'email'],
      ] as const) {
        const verdict = throttle.check(key);
        if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds, `login throttled per ${what}`);
      }
      const user = await findUserByEmail(deps.db, email);
      const ok = user
        ? await verifyPassword(body.password, user.password_hash)
        : await verifyAgainstDummy(body.password);
      if (!user || !ok) {
        loginByAddress.recordFailure(request.ip);
        loginByEmail.recordFailure(email);
        throw unauthorized(
          'Email or password is wrong',
          user ? `wrong password for user ${user.id}` : 'unknown email',
        );
      }
      loginByEmail.reset(email);
      const session = await createSession(deps.db, user.id, deps.sessionTtlSeconds, now);
      reply.header(
        'set-cookie',
        sessionCookie(session.token, deps.sessionTtlSeconds, request.protocol === 'https'),
      );
      request.log.info({ userId: user.id }, 'signed in');
      return { user: toPublicUser(user), expiresAt: session.expiresAt };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/logout',
    summary: 'End this web session',
    tag: 'auth',
    auth: 'session',
    response: { status: 204, description: 'Signed out' },
    handler: async ({ principal, deps, request, reply }) => {
      if (principal.via.kind === 'session') await deleteSession(deps.db, principal.via.sessionId);
      reply.header('set-cookie', clearedSessionCookie(request.protocol === 'https'));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/me',
    summary: 'The signed-in user (web session or paired device)',
    tag: 'auth',
    auth: 'session-or-device',
    response: {
      status: 200,
      schema: meResponseSchema,
      description: 'The caller',
    },
    handler: async ({ principal }) => ({ user: principal.user, via: principal.via.kind }),
  }),
];
