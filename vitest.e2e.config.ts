import { defineConfig } from 'vitest/config';

// Browser tests: real Chromium with the built extension (run `wxt build` first; `npm run test:e2e` does).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // One retry for a known intermittent failure on a loaded machine (HubSpot SPA test; see the session note).
    retry: 1,
    // The browser needs more than vitest's default 1 s on a loaded 2-core machine.
    expect: { poll: { timeout: 8000, interval: 50 } },
  },
});
