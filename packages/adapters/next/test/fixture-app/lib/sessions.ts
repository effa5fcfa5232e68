/**
 * The fixture's session managers. Stores and the clock live on `globalThis`: Next bundles the
 * proxy and the app separately, so a module-scope memory store would exist once per bundle.
 */
import { createSessionManager, type SessionManager } from '@fetch-session/core';
import {
  createSwitchableStore,
  type ScenarioData,
  type ScenarioFlash,
  type SwitchableStore,
} from '@fetch-session/core/testing';
import { type MemoryStore, memoryStore } from '@fetch-session/memory';

export interface AppData {
  count: number;
  user: string;
}
export interface AppFlash {
  notice: string;
}

const SECRET = 'next-fixture-secret-new-0123456789abcdef';
const OLD_SECRET = 'next-fixture-secret-old-0123456789abcdef';

interface FixtureState {
  /** Milliseconds added to Date.now(), moved by POST /fixture/clock. */
  clockOffset: number;
  appStore: MemoryStore;
  scenarioMemory: MemoryStore;
  /** Behind an outage switch (S29), flipped through POST /fixture/store-failing. */
  scenarioStore: SwitchableStore;
  /** Module copies that created a manager (the proxy and the app are separate bundles). */
  bundles: number;
}

const KEY = Symbol.for('fetch-session.next-fixture');
const registry = globalThis as unknown as Record<symbol, FixtureState | undefined>;
function createState(): FixtureState {
  const now = () => Date.now() + state.clockOffset;
  const scenarioMemory = memoryStore();
  const state: FixtureState = {
    clockOffset: 0,
    appStore: memoryStore({ now }),
    scenarioMemory,
    scenarioStore: createSwitchableStore(scenarioMemory),
    bundles: 0,
  };
  return state;
}
export const state: FixtureState = registry[KEY] ?? createState();
registry[KEY] = state;
state.bundles++;

export const now = (): number => Date.now() + state.clockOffset;

/** The app's sessions: pages, actions, route handlers and the proxy. */
export const sessions: SessionManager<AppData, AppFlash> = createSessionManager<AppData, AppFlash>({
  store: state.appStore,
  secrets: [SECRET, OLD_SECRET],
  now,
});

/** The same store, signing with the old secret only: cookies a rotation has made stale. */
export const legacySessions: SessionManager<AppData, AppFlash> = createSessionManager<
  AppData,
  AppFlash
>({ store: state.appStore, secrets: [OLD_SECRET], now });

/** The shared adapter scenarios (`scenarioRoutes`), on their own store with an outage switch. */
export const scenarioSessions: SessionManager<ScenarioData, ScenarioFlash> = createSessionManager<
  ScenarioData,
  ScenarioFlash
>({ store: state.scenarioStore, secrets: SECRET });
