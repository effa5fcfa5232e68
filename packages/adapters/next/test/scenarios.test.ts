// The shared adapter scenarios, against the real Next.js app: the fixture mounts scenarioRoutes
// under /s through withSession (app/s/[...path]/route.ts).
//
// The suite hands `serve` a manager over its own switchable store, which an out-of-process
// Next server cannot use: the fixture has its own manager and store. Two adaptations, both
// confined to this file:
// - S29: before each request, the suite's store is probed through the suite's manager; when
//   the suite switched it to failing, the fixture's store is switched too (POST
//   /fixture/store-failing).
// - S22: Next adds its own `Vary` tokens (rsc, next-router-*, Accept-Encoding) to every route
//   handler response; the suite expects no `Vary` at all on a route that ignores the session,
//   so those framework tokens are removed before the suite sees the response. next-app.test.ts
//   checks the raw headers.
import { SessionStoreError } from '@fetch-session/core/errors';
import { describeAdapterScenarios } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { origin } from './helpers.js';

const NEXT_VARY = new Set([
  'rsc',
  'next-router-state-tree',
  'next-router-prefetch',
  'next-router-segment-prefetch',
  'accept-encoding',
]);

function withoutNextVary(response: Response): Response {
  const vary = response.headers.get('vary');
  if (vary === null) return response;
  const headers = new Headers(response.headers);
  const kept = vary
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && !NEXT_VARY.has(token.toLowerCase()));
  if (kept.length === 0) headers.delete('vary');
  else headers.set('vary', kept.join(', '));
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

async function setFixtureStoreFailing(failing: boolean): Promise<void> {
  const response = await fetch(`${origin}/fixture/store-failing?on=${failing ? 1 : 0}`, {
    method: 'POST',
  });
  if (!response.ok) throw new Error(`store-failing: ${response.status}`);
}

describeAdapterScenarios({
  name: 'next (route handlers, next start)',
  createStore: () => memoryStore(),
  serve: async (sessions) => {
    // A session in the suite's store, to tell whether the suite switched that store off.
    const seed = sessions.open(null);
    await seed.set('count', 0);
    const probeCookie = (await sessions.commit(seed)).setCookie?.split(';')[0] ?? null;
    const suiteStoreFailing = async (): Promise<boolean> => {
      try {
        await sessions.open(probeCookie).isNew();
        return false;
      } catch (error) {
        if (error instanceof SessionStoreError) return true;
        throw error;
      }
    };
    let mirrored = false;
    await setFixtureStoreFailing(false);
    return {
      async fetch(path, init) {
        const failing = await suiteStoreFailing();
        if (failing !== mirrored) {
          await setFixtureStoreFailing(failing);
          mirrored = failing;
        }
        return withoutNextVary(await fetch(`${origin}/s${path}`, init));
      },
      close: () => setFixtureStoreFailing(false),
    };
  },
});
