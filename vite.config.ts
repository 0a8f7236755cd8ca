import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web UI is built once into dist/web and served by the Fastify server from
 * the same origin (src/http/routes/web). No dev server in production, no CDN:
 * everything the pages need, openpgp.js included, is bundled.
 */
export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    // openpgp.js is large; it is split into its own chunk and loaded only by pages that encrypt.
    chunkSizeWarningLimit: 1500,
  },
});
