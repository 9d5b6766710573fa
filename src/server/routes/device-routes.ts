/** Pairing the desktop app: a short code from the web, a device token for the app, revocation. */
import { z } from 'zod';
import { isAppError } from '../../shared/errors';
import { safeText } from '../../shared/text/safe-text';
import { rateLimited } from '../errors';
import { defineRoute } from '../http/route-spec';
import {
  createPairingCode,
  listDevices,
  pairDevice,
  revokeDevice,
  toPublicDevice,
} from '../identity/devices';
import { deviceSchema, devicesResponseSchema, pairingCodeSchema } from '../../shared/review/identity';

export const deviceRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/devices/pairing-codes',
    summary:
      'A pairing code (XXXX-XXXX, 10 minutes, single use) to enter in the desktop app; earlier unused codes stop working',
    tag: 'devices',
    auth: 'session',
    roles: ['partner'],
    response: {
      status: 201,
      schema: pairingCodeSchema,
      description: 'Code created',
    },
    handler: async ({ principal, deps, now }) => createPairingCode(deps.db, principal.user.id, now),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/devices/pair',
    summary: 'The desktop app trades a pairing code for a device token (shown once)',
    tag: 'devices',
    auth: 'none',
    body: z.object({ code: safeText().min(1).max(32), deviceName: safeText().trim().min(1).max(100) }),
    response: {
      status: 201,
      schema: z.object({ device: deviceSchema, token: z.string() }),
      description: 'Device paired; keep the token, it is not shown again',
    },
    handler: async ({ body, deps, request, now }) => {
      const throttle = deps.throttles.redeemByAddress;
      const verdict = throttle.check(request.ip);
      if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds, 'pairing throttled per address');
      try {
        const { device, token } = await pairDevice(deps.db, body, now);
        request.log.info({ userId: device.user_id, deviceId: device.id }, 'device paired');
        return { device: toPublicDevice(device), token };
      } catch (error) {
        if (isAppError(error) && error.code === 'UNAUTHORIZED') throttle.recordFailure(request.ip);
        throw error;
      }
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/devices',
    summary: 'The caller’s own paired devices',
    tag: 'devices',
    auth: 'session-or-device',
    response: { status: 200, schema: devicesResponseSchema, description: 'Devices' },
    handler: async ({ principal, deps }) => ({
      devices: (await listDevices(deps.db, principal.user.id)).map(toPublicDevice),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/devices/:deviceId',
    summary: 'Revoke one of the caller’s devices; its token stops working at once',
    tag: 'devices',
    auth: 'session',
    params: z.object({ deviceId: safeText().min(1).max(100) }),
    response: { status: 200, schema: deviceSchema, description: 'Revoked' },
    handler: async ({ params, principal, deps, request, now }) => {
      const device = await revokeDevice(deps.db, principal.user.id, params.deviceId, now);
      request.log.info({ userId: principal.user.id, deviceId: device.id }, 'device revoked');
      return toPublicDevice(device);
    },
  }),
];
