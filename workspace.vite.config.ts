import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The coaches' web workspace (src/workspace), served by the sync server at /workspace/ from
// out/workspace (src/server/routes/workspace-static.ts). No inline scripts or styles: the server's
// Content-Security-Policy allows 'self' only.
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/workspace'),
  base: '/workspace/',
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, 'out/workspace'),
    emptyOutDir: true,
    // Keep every asset a file (no data: URLs inlined into scripts or styles).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
