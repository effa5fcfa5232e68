/**
 * Every failure is a typed SessionStoreError whose message, stack and JSON hold no key and no
 * payload (S24), with the client's error kept as `cause`; broken records and replies are
 * errors, never "no session".
 */
import { inspect } from 'node:util';
import { createSessionManager, type SessionEvent } from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { upstashStore } from '@fetch-session/upstash';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLIENT_VARIANTS, testClient } from './support/clients.js';
import { storeKeyOf } from './support/keys.js';
import {
  type FailureMode,
  startUpstashRestServer,
  type UpstashRestServer,
} from './support/upstash-rest-server.js';

const SECRET_VALUE = 'SECRET-PAYLOAD-4f1c9a';
const meta = { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: false };
const later = () => Date.now() + 60_000;

let server: UpstashRestServer;
beforeAll(async () => {
  server = await startUpstashRestServer({ redisPort: inject('redisPort') });
});
afterAll(() => server.close());

/** Runs `call`, expecting a redacted SessionStoreError; returns it. */
async function storeError(
  call: () => Promise<unknown>,
  operation: string,
  secrets: string[],
): Promise<SessionStoreError> {
  const error = await call().then(
    () => expect.fail('expected a SessionStoreError'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SessionStoreError);
  const typed = error as SessionStoreError;
  expect(typed).toMatchObject({ code: 'ERR_SESSION_STORE', store: 'upstash', operation });
  expect(typed.cause).toBeInstanceOf(Error);
  for (const secret of secrets) {
    expect(typed.message).not.toContain(secret);
    expect(String(typed.stack)).not.toContain(secret);
    expect(JSON.stringify(typed)).not.toContain(secret);
  }
  return typed;
}

describe.each(CLIENT_VARIANTS)('errors ($label)', ({ autoPipelining }) => {
  const store = () => upstashStore({ redis: testClient(server, { autoPipelining }) });
  const key = (name: string) => `err:${autoPipelining}:${name}:${Math.random()}`;

  it('wraps an UpstashError quoting key and payload, and keeps it as cause', async () => {
    const k = key('wrongtype');
    await server.redis.set(k, 'a string, not a hash');
    const error = await storeError(
      () =>
        store().write(
          k,
          { meta, set: { 'd:token': `"${SECRET_VALUE}"` }, delete: [] },
          {
            mode: 'update',
            expiresAt: later(),
          },
        ),
      'write',
      [k, SECRET_VALUE],
    );
    const cause = error.cause as Error & { original?: Error };
    expect(cause.name).toBe('UpstashError');
    expect(cause.message).toContain('WRONGTYPE');
    // The cause is what loggers print: it must not quote the command either (S24).
    expect(cause.message).not.toContain(k);
    expect(cause.message).not.toContain(SECRET_VALUE);
    expect(inspect(error)).not.toContain(SECRET_VALUE);
    // The hazard being redacted: without auto-pipelining the client quotes the whole command,
    // and that original is still reachable for logs you control.
    if (!autoPipelining) {
      expect(cause.original?.message).toContain(k);
      expect(cause.original?.message).toContain(SECRET_VALUE);
    }
    await storeError(() => store().load(k), 'load', [k]);
  });

  it.each<[FailureMode, string]>([
    ['drop', 'TypeError'],
    ['html-500', 'UpstashJSONParseError'],
    ['json-503', 'UpstashError'],
  ])(
    'a %s answer fails every operation with a typed error (cause: %s)',
    async (mode, causeName) => {
      const s = store();
      const k = key(mode);
      await s.write(
        k,
        { meta, set: { 'd:a': '1' }, delete: [] },
        { mode: 'create', expiresAt: later() },
      );
      const patch = { meta, set: { 'd:b': `"${SECRET_VALUE}"` }, delete: [] };
      const operations: Array<[string, () => Promise<unknown>]> = [
        ['load', () => s.load(k)],
        ['write', () => s.write(k, patch, { mode: 'update', expiresAt: later() })],
        ['touch', () => s.touch(k, meta, { expiresAt: later() })],
        ['delete', () => s.delete(k)],
        ['list', () => s.listUserSessions(`${SECRET_VALUE}-user`)],
      ];
      for (const [operation, call] of operations) {
        server.failNext(1, mode);
        const error = await storeError(call, operation, [k, SECRET_VALUE]);
        expect((error.cause as Error).name).toBe(causeName);
      }
      // Nothing was lost or half-applied.
      expect((await s.load(k))?.fields).toEqual({ 'd:a': '1' });
    },
  );

  it('a wrong token is a typed error, not "no session"', async () => {
    const s = upstashStore({
      redis: new Redis({
        url: server.url,
        token: 'wrong-token',
        retry: { retries: 0 },
        enableAutoPipelining: autoPipelining,
      }),
    });
    const error = await storeError(() => s.load(key('auth')), 'load', []);
    expect((error.cause as Error).message).toContain('WRONGPASS');
  });

  it('a record without metadata or with broken metadata is an error, not a new session', async () => {
    const k = key('corrupt');
    await server.redis.hset(k, 'd:a', '1');
    const missing = await storeError(() => store().load(k), 'load', [k]);
    expect((missing.cause as Error).name).toBe('StoredDataError');
    for (const bad of ['not json', '[]', '{"createdAt":"1","lastSeenAt":1,"permanent":false}']) {
      await server.redis.hset(k, '_meta', bad);
      await storeError(() => store().load(k), 'load', [k, bad]);
    }
  });

  it('a request the client aborts is an error, never a success', async () => {
    // On an aborted signal the client makes up a 200 reply instead of throwing.
    const s = upstashStore({
      redis: new Redis({
        url: server.url,
        token: server.token,
        retry: { retries: 0 },
        enableAutoPipelining: autoPipelining,
        signal: AbortSignal.abort(),
      }),
    });
    const k = key('aborted');
    await storeError(() => s.load(k), 'load', [k]);
    await storeError(
      () => s.write(k, { meta, set: {}, delete: [] }, { mode: 'create', expiresAt: later() }),
      'write',
      [k],
    );
    await storeError(() => s.delete(k), 'delete', [k]);
    await storeError(() => s.listUserSessions('aborted-user'), 'list', ['aborted-user']);
  });

  it('refuses a patch naming the reserved metadata field, before any request', async () => {
    const k = key('reserved');
    server.clearRequests();
    const patch = { meta, set: { _meta: '{}' }, delete: [] };
    const error = await storeError(
      () => store().write(k, patch, { mode: 'create', expiresAt: later() }),
      'write',
      [k],
    );
    expect(error.cause).toBeInstanceOf(RangeError);
    await storeError(
      () =>
        store().write(
          k,
          { meta, set: {}, delete: ['_meta'] },
          {
            mode: 'create',
            expiresAt: later(),
          },
        ),
      'write',
      [k],
    );
    expect(server.requests).toHaveLength(0);
  });

  it('through a manager: a 503 response and a store-error event that names no session ID', async () => {
    const events: SessionEvent[] = [];
    const sessions = createSessionManager({
      store: store(),
      secrets: 'errors-test-secret-0123456789abcdef',
      onEvent: (event) => events.push(event),
    });
    const app = sessions.wrap(async (_request, session) => {
      await session.set('token', SECRET_VALUE);
      return new Response('ok');
    });
    const created = await app(new Request('https://app.test/'));
    const cookie = (created.headers.get('set-cookie') as string).split(';')[0] as string;
    const id = cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf('.'));
    server.failNext(1, 'json-503');
    const response = await app(new Request('https://app.test/', { headers: { cookie } }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('set-cookie')).toBeNull();
    const failure = events.find((event) => event.type === 'store-error');
    expect(failure?.type === 'store-error' && failure.error).toBeInstanceOf(SessionStoreError);
    const logged = JSON.stringify(failure) + String((failure as { error: Error }).error.stack);
    for (const secret of [id, storeKeyOf(cookie), SECRET_VALUE]) {
      expect(logged).not.toContain(secret);
    }
  });
});
