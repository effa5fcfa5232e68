import { describeSessionStore } from '@fetch-session/core/testing';
import { memcachedStore } from '@fetch-session/memcached';
import memjs from 'memjs';
import { afterAll, beforeAll } from 'vitest';
import { type MemcachedServer, startMemcached } from './support/memcached-server.js';

let server: MemcachedServer;
const clients: memjs.Client[] = [];
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  for (const client of clients) client.close();
  await server.stop();
});

describeSessionStore({
  name: 'memcached',
  concurrency: 100,
  createStore: ({ now }) => {
    const client = memjs.Client.create(server.address, { logger: { log: () => {} } });
    clients.push(client);
    return memcachedStore({ client, now });
  },
});
