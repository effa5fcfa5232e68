import { describeDemoBehaviour } from './behaviour.js';
import { describeDebugRoutes } from './runtimes/debug-routes.js';
import { startDemoScript } from './runtimes/spawn-demo.js';

// `npm run start:deno`: dist/deno.js on Deno (from the `deno` npm package), packages from the
// local node_modules, no remote imports, sessions in memory.
describeDemoBehaviour('Deno (memory store)', () => startDemoScript('start:deno'));
describeDebugRoutes('Deno', ({ production, debugRoutes }) =>
  startDemoScript('start:deno', {
    ...(production ? { NODE_ENV: 'production' } : {}),
    ...(debugRoutes ? { DEMO_DEBUG_ROUTES: '1' } : {}),
  }),
);
