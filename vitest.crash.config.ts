import { defineConfig } from 'vitest/config';
import base, { crashTests } from './vitest.config.js';

/** `npm run test:crash`: only the crash test (`npm test` leaves it out). */
export default defineConfig({
  test: { ...base.test, include: crashTests, exclude: ['**/node_modules/**'] },
});
