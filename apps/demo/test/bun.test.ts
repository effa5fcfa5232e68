import { describeDemoBehaviour } from './behaviour.js';
import { describeDebugRoutes } from './runtimes/debug-routes.js';
import { startDemoScript } from './runtimes/spawn-demo.js';

// `npm run start:bun`: dist/bun.js on Bun (from the `bun` npm package), sessions in memory.
describeDemoBehaviour('Bun (memory store)', () => startDemoScript('start:bun'));
describeDebugRoutes('Bun', ({ production, debugRoutes }) =>
  startDemoScript('start:bun', {
    ...(production ? { NODE_ENV: 'production' } : {}),
    ...(debugRoutes ? { DEMO_DEBUG_ROUTES: '1' } : {}),
  }),
);
