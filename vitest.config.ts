import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'activities/**/*.test.ts', 'config/**/*.test.ts', 'workflows/**/*.test.ts', 'cli/**/*.test.ts'],
    setupFiles: ['test/setup/stack-env.ts'],
    // the real stack is shared by every file: two cores, so a little parallelism and long timeouts
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
