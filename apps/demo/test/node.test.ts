import { describeDemoBehaviour } from './behaviour.js';
import { describeDebugRoutes } from './runtimes/debug-routes.js';
import { startNodeDemo } from './start-node.js';

// `npm start`: dist/node.js on Node, sessions in memory.
describeDemoBehaviour('Node (memory store)', () => startNodeDemo());
describeDebugRoutes('Node', ({ production, debugRoutes }) =>
  startNodeDemo({
    ...(production ? { NODE_ENV: 'production' } : {}),
    ...(debugRoutes ? { DEMO_DEBUG_ROUTES: '1' } : {}),
  }),
);
