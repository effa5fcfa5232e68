/**
 * Concurrent writes to one session, over real HTTP: many parallel requests on the same cookie,
 * each setting a different key, against a tiny Hono app (@fetch-session/hono) served by
 * @hono/node-server, with the memory store and with the Upstash store (REST test server on a
 * real redis-server; auto-pipelining on and off). Every key survives, in its own session only.
 */

import { Agent } from 'node:http';
import { createSessionManager } from '@fetch-session/core';
import { type CountingStore, countStoreCalls } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { upstashStore } from '@fetch-session/upstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_VARIANTS, testClient } from '../packages/stores/upstash/test/support/clients.js';
import { storeKeyOf } from '../packages/stores/upstash/test/support/keys.js';
import {
  type RedisServer,
  startRedisServer,
} from '../packages/stores/upstash/test/support/redis-server.js';
import {
  startUpstashRestServer,
  type UpstashRestServer,
} from '../packages/stores/upstash/test/support/upstash-rest-server.js';
import { BrowserClient } from './support/http-client.js';
import { childProcesses } from './support/leaks.js';
import { createTinyApp, type HttpApp, serveHttp, type TinyData } from './support/tiny-app.js';
import { eachLimited } from './support/visitors.js';

const SESSIONS = 10;
const KEYS_PER_SESSION = 100;
const IN_FLIGHT = 200;
const SECRET = 'load-concurrent-writes-secret-0123456789';

let redis: RedisServer | undefined;
let rest: UpstashRestServer | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  rest = await startUpstashRestServer({ redisPort: redis.port });
});

afterAll(async () => {
  await rest?.close();
  await redis?.stop();
  expect(childProcesses(), 'processes left behind').toEqual([]);
});

interface Variant {
  readonly label: string;
  readonly store: () => CountingStore;
  /** The session's data fields as the store holds them, read around the app. */
  readonly stored?: (cookie: string, prefix: string) => Promise<Record<string, string>>;
}

const variants: Variant[] = [
  { label: 'memory', store: () => countStoreCalls(memoryStore()) },
  ...CLIENT_VARIANTS.map(
    ({ label, autoPipelining }): Variant => ({
      label: `Upstash, ${label}`,
      store: () =>
        countStoreCalls(
          upstashStore({ redis: testClient(rest as UpstashRestServer, { autoPipelining }) }),
        ),
      stored: (cookie, prefix) =>
        (rest as UpstashRestServer).redis.hgetall(storeKeyOf(cookie, prefix)),
    }),
  ),
];

describe.each(variants)('concurrent writes to one session ($label)', (variant) => {
  let app: HttpApp | undefined;
  let store: CountingStore;
  let agent: Agent;
  const prefix = `cw-${variant.label.replace(/\W+/g, '-')}:`;

  beforeAll(async () => {
    store = variant.store();
    const sessions = createSessionManager<TinyData, TinyData>({
      store,
      secrets: SECRET,
      keyPrefix: prefix,
    });
    app = await serveHttp(createTinyApp(sessions).fetch);
    // One pool for all requests: parallel requests of one session need parallel connections.
    agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  });
  afterAll(async () => {
    agent?.destroy();
    await app?.close();
  });

  it(`${SESSIONS} sessions x ${KEYS_PER_SESSION} parallel requests, each setting its own key: every key survives`, async () => {
    const origin = (app as HttpApp).origin;
    const owners = Array.from({ length: SESSIONS }, () => new BrowserClient(origin, agent));
    for (const owner of owners) {
      const created = await owner.request('POST', '/visit');
      expect(created.status).toBe(200);
      expect(owner.jar.has('sid')).toBe(true);
    }
    store.reset();

    // Shuffled, so that every session has requests in flight at once throughout.
    const requests = owners.flatMap((_, s) =>
      Array.from({ length: KEYS_PER_SESSION }, (_, k) => ({ s, k })),
    );
    for (let i = requests.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [requests[i], requests[j]] = [
        requests[j] as (typeof requests)[number],
        requests[i] as (typeof requests)[number],
      ];
    }
    const statuses: number[] = [];
    const cookiesSet: string[] = [];
    const started = Date.now();
    await eachLimited(requests, IN_FLIGHT, async ({ s, k }) => {
      const owner = owners[s] as BrowserClient;
      const response = await owner.request('POST', `/set/s${s}k${k}`, {
        body: `value-${s}-${k}`,
        cookie: owner.cookieHeader(),
      });
      statuses.push(response.status);
      cookiesSet.push(...response.setCookies);
    });
    const elapsed = Date.now() - started;
    const writes = store.calls.write;

    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(cookiesSet, 'no request replaced the session').toEqual([]);
    expect(writes, 'one write per request').toBe(requests.length);
    for (const [s, owner] of owners.entries()) {
      const all = await owner.request('GET', '/all');
      const expected: Record<string, unknown> = { visits: 1 };
      for (let k = 0; k < KEYS_PER_SESSION; k++) expected[`s${s}k${k}`] = `value-${s}-${k}`;
      expect(JSON.parse(all.body)).toEqual(expected);
      if (variant.stored !== undefined) {
        const fields = await variant.stored(`sid=${owner.jar.get('sid')}`, prefix);
        const data = Object.keys(fields).filter((field) => field.startsWith('d:'));
        expect(data).toHaveLength(KEYS_PER_SESSION + 1);
      }
    }
    console.log(
      `[concurrent writes, ${variant.label}] ${requests.length} requests on ${SESSIONS} sessions, ` +
        `${IN_FLIGHT} in flight: ${elapsed} ms, ${writes} store writes, all keys present`,
    );
  });
});
