import { describe, expect, it } from 'vitest';
import { describeDemoBehaviour } from './behaviour.js';
import { createClient } from './demo-client.js';
import { startNodeDemo } from './start-node.js';

describeDemoBehaviour('Node (memory store)', () => startNodeDemo());

describe('demo on Node in production', () => {
  it('hides /debug/session with a 403', async () => {
    const demo = await startNodeDemo({ NODE_ENV: 'production' });
    try {
      const browser = createClient(demo.origin);
      const response = await browser.request('GET', '/debug/session');
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('Not available in production');
    } finally {
      await demo.stop();
    }
  });

  it('shows the session at /debug/session in development', async () => {
    const demo = await startNodeDemo();
    try {
      const browser = createClient(demo.origin);
      await browser.text('GET', '/set_data');
      expect(await (await browser.request('GET', '/debug/session')).json()).toMatchObject({
        username: 'flask_user',
        user_id: 123,
      });
    } finally {
      await demo.stop();
    }
  });
});
