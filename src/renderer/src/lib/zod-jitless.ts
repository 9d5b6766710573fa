/**
 * Imported first by main.tsx, before any schema is built: zod must not probe for eval. The
 * renderer's CSP has no 'unsafe-eval' (src/main/electron/csp.ts), and zod's probe (`new Function('')`
 * in a try/catch, made when the first z.object() is created) is reported as a CSP violation even
 * though zod swallows the error. Without eval zod uses its interpreter anyway; `jitless` only skips
 * the probe.
 */
import { config } from 'zod';

config({ jitless: true });
