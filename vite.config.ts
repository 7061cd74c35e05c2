import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is one static bundle used two ways: loaded from disk by the desktop window and
// served by `kubedesk dashboard`; relative asset URLs make both work.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
