import { describe, expect, it } from 'vitest';
import type { RunningDemo } from '../behaviour.js';
import { createClient } from '../demo-client.js';

/** What a runtime's demo is started with. */
export interface DemoFlags {
  production: boolean;
  /** `DEMO_DEBUG_ROUTES=1`. */
  debugRoutes: boolean;
}

/**
 * `DEMO_DEBUG_ROUTES` reaches the app on this runtime: `/debug/session` exists only with it,
 * and production refuses it. `refusal` says how this runtime refuses a configuration: its
 * entry exits before listening, or (Workers, configured on the first request) it answers 500.
 */
export function describeDebugRoutes(
  runtime: string,
  start: (flags: DemoFlags) => Promise<RunningDemo>,
  refusal: 'exits' | 'answers 500' = 'exits',
): void {
  describe(`demo on ${runtime}: DEMO_DEBUG_ROUTES`, () => {
    it('H14: /debug/session shows the session only with DEMO_DEBUG_ROUTES=1', async () => {
      for (const flags of [
        { production: false, debugRoutes: true },
        { production: false, debugRoutes: false },
        { production: true, debugRoutes: false },
      ]) {
        const demo = await start(flags);
        try {
          const browser = createClient(demo.origin);
          await browser.text('GET', '/set_data');
          const response = await browser.request('GET', '/debug/session');
          if (flags.debugRoutes) {
            expect(await response.json()).toMatchObject({ username: 'flask_user', user_id: 123 });
          } else {
            expect(response.status).toBe(404);
          }
        } finally {
          await demo.stop();
        }
      }
    });

    it('H14: production refuses DEMO_DEBUG_ROUTES=1', async () => {
      const started = start({ production: true, debugRoutes: true });
      if (refusal === 'exits') {
        await expect(started).rejects.toThrow(/exited/);
        return;
      }
      const demo = await started;
      try {
        expect((await fetch(`${demo.origin}/debug/session`)).status).toBe(500);
        expect((await fetch(`${demo.origin}/`)).status).toBe(500);
      } finally {
        await demo.stop();
      }
    });
  });
}
