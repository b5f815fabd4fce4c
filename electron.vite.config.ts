import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // keytar is an optional dependency (npm ci must work without libsecret headers); it is native, so it
      // must stay external like the regular dependencies.
      externalizeDeps: { include: ['keytar'] },
      rolldownOptions: {
        input: {
          // The Electron shell and the headless server share the core; only the shell imports electron.
          index: resolve(import.meta.dirname, 'electron/main/shell/index.ts'),
          headless: resolve(import.meta.dirname, 'electron/main/headless.ts'),
          // The webhook receiver's thread (receiver-thread-host.ts loads it from beside the entries).
          'receiver-thread': resolve(import.meta.dirname, 'electron/main/core/webhooks/receiver-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require modules: bundle everything into one CommonJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      minify: true,
      rolldownOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
