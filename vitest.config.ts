import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most integration tests wait on Redis, sockets and child processes; two files at a time use a 2-core machine
    // better than the default of one (cores - 1).
    maxWorkers: 2,
  },
});
