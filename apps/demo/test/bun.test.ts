import { describeDemoBehaviour } from './behaviour.js';
import { describeProductionFlag } from './runtimes/production.js';
import { startDemoScript } from './runtimes/spawn-demo.js';

// `npm run start:bun`: dist/bun.js on Bun (from the `bun` npm package), sessions in memory.
describeDemoBehaviour('Bun (memory store)', () => startDemoScript('start:bun'));
describeProductionFlag('Bun', (production) =>
  startDemoScript('start:bun', production ? { NODE_ENV: 'production' } : {}),
);
