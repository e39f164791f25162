import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Browser specs, run by scripts/e2e.js against a server it started (E2E_BASE_URL). One file at a time, each against a fresh server of its own. */
export default defineConfig({
  root: r('..'),
  resolve: { alias: { '@common': r('../common'), '@web': r('../web/src') } },
  test: {
    include: ['e2e/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
    sequence: { concurrent: false },
    reporters: ['verbose'],
  },
});
