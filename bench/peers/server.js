/**
 * One server of the peer benchmark: `node bench/peers/server.js <name>` builds that app
 * (apps.js) and serves it on 127.0.0.1 and a free port: fetch apps through @hono/node-server,
 * the others through node:http. Reports `{ port }` over IPC when forked (and answers `cpu`
 * with its CPU time, `statements` with the statements it sent to PostgreSQL), else prints it
 * as JSON.
 */
import { createServer } from 'node:http';
import { serve } from '@hono/node-server';
import { APPS, statementsSent } from './apps.js';

const name = process.argv[2];
const build = APPS[name];
if (build === undefined) {
  console.error(`unknown server ${name}; one of: ${Object.keys(APPS).join(', ')}`);
  process.exit(2);
}

const app = await build();
const port = await new Promise((resolve) => {
  if (app.fetch !== undefined) {
    serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(info.port));
  } else {
    const server = createServer(app.listener);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  }
});

// Exit normally (so `--cpu-prof` writes its profile) when stopped or orphaned.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
if (process.send === undefined) {
  console.log(JSON.stringify({ port }));
} else {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
    if (message === 'statements') process.send({ statements: statementsSent() });
  });
  process.send({ port });
}
