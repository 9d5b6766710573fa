/** What route handlers need, built once by buildServer. */
import type { Kysely } from 'kysely';
import type { FailureThrottle } from '../auth/failure-throttle';
import type { ServerDatabase } from '../db/schema';
import type { OutboundGuard } from '../integrations/outbound-guard';
import type { RecordingStorage } from '../storage/recording-storage';
import type { RecordingUploads } from '../uploads/recording-uploads';

export interface ServerDeps {
  db: Kysely<ServerDatabase>;
  storage: RecordingStorage;
  /** tus uploads in progress (their offsets for Submission.recordingBytesReceived). */
  uploads: RecordingUploads;
  sessionTtlSeconds: number;
  /** The largest recording accepted, in bytes (a manifest declaring more is refused with 413). */
  maxRecordingBytes: number;
  now: () => Date;
  /** Refuses webhook URLs aimed at internal addresses (integrations/outbound-guard.ts). */
  outboundGuard: OutboundGuard;
  throttles: {
    /** Failed logins per client address and per email: 5 per 15 minutes each. */
    loginByAddress: FailureThrottle;
    loginByEmail: FailureThrottle;
    /** Failed pairing-code and invitation redemptions per client address. */
    redeemByAddress: FailureThrottle;
  };
}
