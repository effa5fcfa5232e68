/**
 * The test helpers that need no test runner: a controllable clock, a call-counting store
 * wrapper and an outage switch. Safe to import from application code under test (a Next.js
 * fixture app, a Worker) where `@fetch-session/core/testing`, which imports `vitest`, is not.
 * No `node:` imports either: it runs on workerd.
 * @module
 */

export { type CountingStore, countStoreCalls, type StoreCallCounts } from './counting-store.js';
export { createSwitchableStore, type SwitchableStore } from './failing-store.js';
export {
  createGatedStore,
  type GatedOperation,
  type GatedStore,
  type HeldCall,
  type InterleavedActor,
  interleave,
  schedules,
} from './gated-store.js';
export { createTestClock, type TestClock } from './test-clock.js';
