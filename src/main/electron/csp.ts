/**
 * The renderer's content security policies, as constants (unit-tested in
 * tests/unit/main/electron/trust.test.ts against src/renderer/index.html). No Electron import.
 */

/**
 * The renderer's policies. Two apply to every page at once, and a load must pass both (policies
 * intersect, they never widen each other):
 *
 * - RENDERER_META_CSP, the <meta http-equiv> in src/renderer/index.html (a unit test keeps the two
 *   equal). It travels with the bundle wherever it is loaded, so it is written for both transports:
 *   `connect-src 'self'` lets the loopback host's page (`rehearse serve`) reach its own /api and its
 *   WebSocket (CSP Level 3 matches ws: to 'self' on the same host and port), and the Electron window
 *   (IPC only) reach nothing but its own static files. It must never be narrower than what either
 *   transport needs, since no header can widen it.
 * - A response header sent by whoever serves the page: APP_CONTENT_SECURITY_POLICY here, from the
 *   `rehearse-app:` protocol handler (./app-protocol.ts); the loopback host sends its own, which may
 *   name its exact ws://127.0.0.1:<port>. The header adds what a <meta> cannot carry
 *   (frame-ancestors, which Chromium ignores in a meta tag).
 *
 * No 'unsafe-inline' anywhere: React's `style={{…}}` props are set through the CSSOM, which CSP does
 * not govern; the renderer has no <style> element, no inline style attribute in HTML and no CSS-in-JS
 * (RecordRTC's MediaStreamRecorder injects none); Vite emits CSS as linked files.
 */
export const RENDERER_META_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "media-src 'self' blob: rehearse-media:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'none'";

/** The Electron window's policy, sent as a header with every `rehearse-app:` response. */
export const APP_CONTENT_SECURITY_POLICY = `${RENDERER_META_CSP}; frame-ancestors 'none'`;
