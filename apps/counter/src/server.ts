import { serve } from '@hono/node-server';
import { createCounterApp } from './app.js';

function sessionSecret(): string {
  const configured = process.env.SESSION_SECRET;
  if (configured !== undefined && configured !== '') return configured;
  console.warn(
    '[counter] SESSION_SECRET is not set: using a random secret, so sessions end when the server restarts.',
  );
  return crypto
    .getRandomValues(new Uint8Array(32))
    .reduce((hex, byte) => hex + byte.toString(16).padStart(2, '0'), '');
}

const port = Number(process.env.PORT ?? 3000);
const server = serve(
  { fetch: createCounterApp(sessionSecret()), port, hostname: process.env.HOST ?? 'localhost' },
  (info) => {
    console.log(`[counter] listening on http://localhost:${info.port}`);
  },
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
