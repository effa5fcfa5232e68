/**
 * One benchmark server: `node bench/server.js <variant>` serves that variant's fetch handler
 * through @hono/node-server on 127.0.0.1 and a free port. Variants with sessions also serve a
 * seed handler (creates a session, returns its cookie) on a second port, so the measured
 * handler is exactly the variant's, with no routing in front of it.
 *
 * Reports `{ port, seedPort }` over IPC when forked, else prints it as JSON.
 */
import { serve } from '@hono/node-server';
import { VARIANTS } from './handlers.js';

const name = process.argv[2];
const variant = VARIANTS[name];
if (variant === undefined) {
  console.error(`unknown variant ${name}; one of: ${Object.keys(VARIANTS).join(', ')}`);
  process.exit(2);
}

function listen(fetch) {
  return new Promise((resolve) => {
    serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(info.port));
  });
}

const app = await variant.create();
const port = await listen(app.fetch);
const seedPort = app.seed === undefined ? undefined : await listen(app.seed);

// Exit normally (so `--cpu-prof` writes its profile) when stopped or orphaned.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
if (process.send === undefined) {
  console.log(JSON.stringify({ port, seedPort }));
} else {
  process.on('disconnect', () => process.exit(0));
  // The parent asks for CPU time to tell how busy the machine was with other work.
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  });
  process.send({ port, seedPort });
}
