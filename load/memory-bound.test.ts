/**
 * Memory bounds under a flood, over real HTTP (tiny Hono app on @hono/node-server, memory store):
 * - readers without writes create nothing (S12): cookie-less visitors, forged cookies (right
 *   shape, wrong MAC), malformed cookies (S11: zero store calls) and validly signed but unknown
 *   IDs (S10: looked up, never adopted): the store stays empty, no cookie is sent;
 * - writers: thousands of new sessions keep the store within `maxEntries`, the newest sessions
 *   survive and an evicted one is replaced by a fresh ID, never revived.
 */
import { Agent } from 'node:http';
import { createSessionManager, type SessionEvent, type SessionStore } from '@fetch-session/core';
import { type CountingStore, countStoreCalls } from '@fetch-session/core/testing';
import { type MemoryStore, memoryStore } from '@fetch-session/memory';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { BrowserClient } from './support/http-client.js';
import { LOAD_FLOOD } from './support/knobs.js';
import { childProcesses } from './support/leaks.js';
import { createTinyApp, type HttpApp, serveHttp, type TinyData } from './support/tiny-app.js';
import { eachLimited } from './support/visitors.js';

const MAX_ENTRIES = 500;
const IN_FLIGHT = 50;
const SECRET = 'load-memory-bound-secret-0123456789abcdef';

let memory: MemoryStore;
let counted: CountingStore;
/** The largest size the memory store had right after any write. */
let peakSize = 0;
const events: SessionEvent[] = [];
let app: HttpApp | undefined;
let agent: Agent;

/** Records the store's size after every write, so the bound is checked at all times. */
function observeSize(store: CountingStore): SessionStore {
  return {
    name: store.name,
    load: (key) => store.load(key),
    delete: (key) => store.delete(key),
    async write(key, patch, options) {
      const outcome = await store.write(key, patch, options);
      peakSize = Math.max(peakSize, memory.size);
      return outcome;
    },
  };
}

beforeAll(async () => {
  memory = memoryStore({ maxEntries: MAX_ENTRIES });
  counted = countStoreCalls(memory);
  const sessions = createSessionManager<TinyData, TinyData>({
    store: observeSize(counted),
    secrets: SECRET,
    onEvent: (event) => events.push(event),
  });
  app = await serveHttp(createTinyApp(sessions).fetch);
  agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
});

afterAll(async () => {
  agent?.destroy();
  await app?.close();
  expect(childProcesses(), 'processes left behind').toEqual([]);
});

beforeEach(() => {
  counted.reset();
  events.length = 0;
});

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const random = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

/** Cookies signed with the right secret for sessions this server never stored. */
async function unknownSignedCookies(count: number): Promise<string[]> {
  const elsewhere = createSessionManager<TinyData, TinyData>({
    store: memoryStore({ maxEntries: count }),
    secrets: SECRET,
  });
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const session = elsewhere.open('');
    await session.set('x', i);
    const { setCookie } = await elsewhere.commit(session);
    cookies.push((setCookie as string).split(';')[0] as string);
  }
  return cookies;
}

const MALFORMED = [
  'sid=',
  'sid=..',
  'sid=../../etc/passwd',
  'sid=a/b:c*d',
  `sid=${'A'.repeat(43)}`,
  `sid=${'A'.repeat(43)}.${'B'.repeat(44)}`,
  `sid=${'A'.repeat(2000)}.${'B'.repeat(43)}`,
  `sid=${encodeURIComponent('é'.repeat(43))}.${'B'.repeat(43)}`,
  `sid=${'A'.repeat(43)}%00.${'B'.repeat(43)}`,
];

it(`S12: ${LOAD_FLOOD} readers without writes (no cookie, forged, malformed, unknown IDs) store nothing`, async () => {
  const origin = (app as HttpApp).origin;
  const quarter = Math.floor(LOAD_FLOOD / 4);
  const signed = await unknownSignedCookies(quarter);
  const kinds = ['none', 'forged', 'malformed', 'unknown'] as const;
  const requests = Array.from({ length: LOAD_FLOOD }, (_, i) => {
    const kind = kinds[i % 4] as (typeof kinds)[number];
    const cookie =
      kind === 'none'
        ? ''
        : kind === 'forged'
          ? `sid=${base64url(random(32))}.${base64url(random(32))}`
          : kind === 'malformed'
            ? (MALFORMED[i % MALFORMED.length] as string)
            : (signed[Math.floor(i / 4) % signed.length] as string);
    return { kind, cookie };
  });

  const client = new BrowserClient(origin, agent);
  const problems: string[] = [];
  let maxSizeSeen = 0;
  const started = Date.now();
  await eachLimited(requests, IN_FLIGHT, async ({ kind, cookie }) => {
    const response = await client.request('GET', '/read', { cookie });
    maxSizeSeen = Math.max(maxSizeSeen, memory.size);
    if (response.status !== 200 || response.body !== '{"visits":null}') {
      problems.push(`${kind}: ${response.status} ${response.body.slice(0, 80)}`);
    }
    if (response.setCookies.length > 0) problems.push(`${kind}: Set-Cookie`);
  });
  const elapsed = Date.now() - started;
  const unknown = requests.filter((r) => r.kind === 'unknown').length;
  const forged = requests.filter((r) => r.kind === 'forged').length;

  console.log(
    `[memory bound, readers] ${requests.length} requests in ${elapsed} ms ` +
      `(${Math.round((requests.length * 1000) / elapsed)}/s): store size ${memory.size} ` +
      `(max seen ${maxSizeSeen}); store calls ${JSON.stringify(counted.calls)}`,
  );
  expect(problems.slice(0, 20)).toEqual([]);
  expect(maxSizeSeen).toBe(0);
  expect(memory.size).toBe(0);
  // Only the validly signed unknown IDs reach the store, as one load each (S10, S11).
  expect(counted.calls).toEqual({ load: unknown, write: 0, touch: 0, delete: 0 });
  expect(events.filter((e) => e.type === 'unknown-session')).toHaveLength(unknown);
  expect(
    events.filter((e) => e.type === 'invalid-cookie' && e.reason === 'bad-signature').length,
  ).toBeGreaterThanOrEqual(forged);
  expect(events.some((e) => e.type === 'created')).toBe(false);
});

it(`${LOAD_FLOOD} new visitors who write: the store never holds more than maxEntries (${MAX_ENTRIES})`, async () => {
  const origin = (app as HttpApp).origin;
  peakSize = 0;
  const visitors = Array.from({ length: LOAD_FLOOD }, () => new BrowserClient(origin, agent));
  const problems: string[] = [];
  const started = Date.now();
  await eachLimited(visitors, IN_FLIGHT, async (visitor) => {
    const response = await visitor.request('POST', '/visit');
    if (response.status !== 200 || !visitor.jar.has('sid')) {
      problems.push(`${response.status} ${response.body.slice(0, 80)}`);
    }
  });
  const elapsed = Date.now() - started;
  console.log(
    `[memory bound, writers] ${visitors.length} new sessions in ${elapsed} ms: ` +
      `peak store size ${peakSize}, final ${memory.size} (maxEntries ${MAX_ENTRIES})`,
  );
  expect(problems.slice(0, 20)).toEqual([]);
  expect(counted.calls.write).toBe(LOAD_FLOOD);
  expect(peakSize).toBeLessThanOrEqual(MAX_ENTRIES);
  expect(memory.size).toBe(Math.min(MAX_ENTRIES, LOAD_FLOOD));

  // The newest sessions are kept; the oldest was evicted and is never revived under its ID.
  const newest = visitors.slice(-50);
  for (const visitor of newest) {
    const again = await visitor.request('POST', '/visit');
    expect(JSON.parse(again.body)).toMatchObject({ visits: 2 });
    expect(again.setCookies).toEqual([]);
  }
  if (LOAD_FLOOD > MAX_ENTRIES) {
    const oldest = visitors[0] as BrowserClient;
    const before = oldest.jar.get('sid');
    const again = await oldest.request('POST', '/visit');
    expect(JSON.parse(again.body)).toMatchObject({ visits: 1 });
    expect(oldest.jar.get('sid')).not.toBe(before);
  }
  expect(memory.size).toBeLessThanOrEqual(MAX_ENTRIES);
});
