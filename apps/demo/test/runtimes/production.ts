import { describe, expect, it } from 'vitest';
import type { RunningDemo } from '../behaviour.js';
import { createClient } from '../demo-client.js';

/** The production flag reaches the app on this runtime: `/debug/session` is hidden. */
export function describeProductionFlag(
  runtime: string,
  start: (production: boolean) => Promise<RunningDemo>,
): void {
  describe(`demo on ${runtime} in production`, () => {
    it('hides /debug/session with a 403, shows it in development', async () => {
      for (const production of [true, false]) {
        const demo = await start(production);
        try {
          const browser = createClient(demo.origin);
          await browser.text('GET', '/set_data');
          const response = await browser.request('GET', '/debug/session');
          if (production) {
            expect(response.status).toBe(403);
            expect(await response.text()).toBe('Not available in production');
          } else {
            expect(await response.json()).toMatchObject({ username: 'flask_user', user_id: 123 });
          }
        } finally {
          await demo.stop();
        }
      }
    });
  });
}
