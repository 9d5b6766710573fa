/** The desktop app's settings: one schema, used by the contract (`settings.update`) and the core. */
import { z } from 'zod';

export const settingsSchema = z.strictObject({
  /** Practice attempts older than this are deleted at start; null keeps them until deleted by hand. */
  autoDeleteDays: z.number().int().min(1).max(3650).nullable(),
  /** Device ids chosen on the Rehearse screen (null: the system default). */
  cameraId: z.string().max(512).nullable(),
  microphoneId: z.string().max(512).nullable(),
  /** Seconds of preparation before recording starts; null uses the scenario's own. */
  preparationSeconds: z.number().int().min(0).max(3600).nullable(),
});

export type Settings = z.infer<typeof settingsSchema>;
