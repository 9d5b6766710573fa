/** Who is calling: a user, reached through a web session or a paired device. */
import type { PublicUser } from '../../shared/review/identity';

export interface Principal {
  user: PublicUser;
  /** The vendor organisation the user belongs to (their own org for staff, its vendor for partners). */
  vendorId: string;
  via: { kind: 'session'; sessionId: string } | { kind: 'device'; deviceId: string };
}
