/**
 * First start: creates the vendor organisation and an invitation for its first admin. Refuses when
 * a vendor already exists, so running it twice cannot create a second way in.
 */
import type { Kysely } from 'kysely';
import type { ServerDatabase } from './db/schema';
import { conflict } from './errors';
import { createInvitation, type IssuedInvitation } from './identity/invitations';
import { anyVendorExists, createOrganisation } from './identity/organisations';

export async function bootstrapVendor(
  db: Kysely<ServerDatabase>,
  input: { vendorName: string; adminEmail: string },
  now: Date = new Date(),
): Promise<{ vendorId: string; invitation: IssuedInvitation }> {
  return db.transaction().execute(async (trx) => {
    if (await anyVendorExists(trx))
      throw conflict('This server already has a vendor organisation', 'bootstrap refused: vendor exists');
    const vendor = await createOrganisation(trx, { name: input.vendorName, kind: 'vendor' }, now);
    const invitation = await createInvitation(
      trx,
      { email: input.adminEmail, role: 'admin', org: vendor, invitedBy: null },
      now,
    );
    return { vendorId: vendor.id, invitation };
  });
}
