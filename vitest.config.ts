import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['tests/support/temp-root.ts'],
    // Docker and model tests share two cores; running files in parallel only adds contention.
    fileParallelism: false,
  },
});
