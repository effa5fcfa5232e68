/**
 * Test helpers for store authors and applications: the store conformance suites and the
 * shared adapter scenarios (these need `vitest`), a controllable clock, a call-counting store
 * wrapper and an outage switch. Without vitest: `@fetch-session/core/testing/fakes` (the clock
 * and the store wrappers). Node-only helpers (`freePort`): `@fetch-session/core/testing/node`.
 * @module
 */

export {
  type AdapterScenarioOptions,
  describeAdapterScenarios,
  type ScenarioData,
  type ScenarioFlash,
  type ScenarioReply,
  type ScenarioRoute,
  type ScenarioServer,
  scenarioRoutes,
} from './adapter-scenarios.js';
export {
  describeSessionStore,
  type StoreConformanceOptions,
  type StoreTestContext,
} from './conformance.js';
export {
  type CookieStoreConformanceOptions,
  describeCookieSessionStore,
} from './conformance-cookie.js';
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
