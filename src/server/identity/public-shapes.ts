/**
 * What the API returns about identities: zod schemas that double as the response filter (a row is
 * parsed through them, so a column such as password_hash can never leak) and as OpenAPI schemas.
 */
import { z } from 'zod';

export const userRoleSchema = z.enum(['partner', 'coach', 'admin']);

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
