import { defineConfig } from 'vitest/config';

/** The long crash test (hundreds of `kill -9`s) runs on its own: `npm run test:crash` (vitest.crash.config.ts). */
export const crashTests = ['test/integration/crash.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...crashTests],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most integration tests wait on Redis, sockets and child processes; two files at a time use a 2-core machine
    // better than the default of one (cores - 1).
    maxWorkers: 2,
  },
});
