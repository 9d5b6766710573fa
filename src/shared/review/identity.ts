/**
 * What the server's API says about identities (users, organisations, programs, devices) and the
 * sign-in requests the coaches' workspace sends. The server parses every response through these
 * schemas, so a column such as password_hash can never leak, and describes them in /openapi.json;
 * the workspace types its calls with the inferred types. One contract, one home.
 */
import { z } from 'zod';
import { safeText } from '../text/safe-text';

export const userRoleSchema = z.enum(['partner', 'coach', 'admin']);
export type UserRole = z.infer<typeof userRoleSchema>;

export const publicUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: userRoleSchema,
  orgId: z.string(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

export const organisationSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['vendor', 'partner']),
  vendorId: z.string().nullable(),
});
export type PublicOrganisation = z.infer<typeof organisationSchema>;

export const programSchema = z.object({ id: z.string(), title: z.string(), vendorOrgId: z.string() });
export type PublicProgram = z.infer<typeof programSchema>;

export const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type PublicDevice = z.infer<typeof deviceSchema>;

/** POST /api/auth/login */
export const loginBodySchema = z.object({
  email: safeText().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const loginResponseSchema = z.object({ user: publicUserSchema, expiresAt: z.string() });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** GET /api/me */
export const meResponseSchema = z.object({ user: publicUserSchema, via: z.enum(['session', 'device']) });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const passwordSchema = z.string().min(12, 'at least 12 characters').max(1024);

/** POST /api/invitations/accept */
export const acceptInvitationBodySchema = z.object({
  token: safeText().min(1).max(200),
  name: safeText().trim().min(1).max(200),
  password: passwordSchema,
});
export type AcceptInvitationBody = z.infer<typeof acceptInvitationBodySchema>;

export const acceptInvitationResponseSchema = z.object({ user: publicUserSchema });
export type AcceptInvitationResponse = z.infer<typeof acceptInvitationResponseSchema>;

/** POST /api/devices/pairing-codes */
export const pairingCodeSchema = z.object({ code: z.string(), expiresAt: z.string() });
export type PairingCode = z.infer<typeof pairingCodeSchema>;

export const devicesResponseSchema = z.object({ devices: z.array(deviceSchema) });
export const programsResponseSchema = z.object({ programs: z.array(programSchema) });
export const partnersResponseSchema = z.object({ partners: z.array(publicUserSchema) });
export const organisationsResponseSchema = z.object({ organisations: z.array(organisationSchema) });
