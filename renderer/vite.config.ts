import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The staff console: built to dist/staff, served by the Express server at "/staff/" (and
// loaded by the Electron window from there).
export default defineConfig({
  root: import.meta.dirname,
  base: '/staff/',
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/staff'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No data: URLs for assets: everything is a file under the strict CSP.
    assetsInlineLimit: 0,
  },
  server: {
    port: Number(process.env.STAFF_DEV_PORT ?? 5174),
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 3000}` },
  },
});
