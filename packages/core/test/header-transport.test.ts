import { createSessionManager, type SessionOptions } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';
import { SECRET } from './helpers.js';

function app(transport: NonNullable<SessionOptions['transport']>) {
  const sessions = createSessionManager<{ count: number }>({
    store: memoryStore(),
    secrets: SECRET,
    transport,
  });
  return sessions.wrap(async (request, session) => {
    if (new URL(request.url).pathname === '/logout') {
      await session.destroy();
      return new Response('bye');
    }
    if (new URL(request.url).pathname === '/login') await session.regenerate();
    const count = ((await session.get('count')) ?? 0) + 1;
    await session.set('count', count);
    return new Response(`count=${count}`);
  });
}

const go = (handler: (r: Request) => Promise<Response>, path: string, headers = {}) =>
  handler(new Request(`https://api.example${path}`, { headers }));

describe('header transport', () => {
  it('F5: the signed ID travels in x-session both ways; no cookie header is read or set', async () => {
    const handler = app({ header: 'x-session' });
    const first = await go(handler, '/');
    const id = first.headers.get('x-session') as string;
    expect(id).toMatch(/\./);
    expect(first.headers.get('set-cookie')).toBeNull();
    expect(first.headers.get('vary')).toBe('x-session');
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const second = await go(handler, '/', { 'x-session': id });
    expect(await second.text()).toBe('count=2');
    expect(second.headers.get('x-session')).toBeNull(); // unchanged ID: nothing to send
    // The same ID in a cookie is not a session for this manager.
    expect(await (await go(handler, '/', { cookie: `sid=${id}` })).text()).toBe('count=1');
  });

  it('F5: regenerate returns the rotated ID, and the old one is refused; destroy sends ""', async () => {
    const handler = app({ header: 'x-session' });
    const id = (await go(handler, '/')).headers.get('x-session') as string;
    const login = await go(handler, '/login', { 'x-session': id });
    const rotated = login.headers.get('x-session') as string;
    expect(rotated).not.toBe(id);
    expect(await login.text()).toBe('count=2');
    expect(await (await go(handler, '/', { 'x-session': id })).text()).toBe('count=1');
    const logout = await go(handler, '/logout', { 'x-session': rotated });
    expect(logout.headers.get('x-session')).toBe('');
    expect(await (await go(handler, '/', { 'x-session': rotated })).text()).toBe('count=1');
  });

  it('F5: Authorization: Bearer <signed id>, the new ID in x-session', async () => {
    const handler = app({ bearer: true });
    const first = await go(handler, '/');
    const id = first.headers.get('x-session') as string;
    expect(first.headers.get('set-cookie')).toBeNull();
    const second = await go(handler, '/', { authorization: `Bearer ${id}` });
    expect(await second.text()).toBe('count=2');
    expect(second.headers.get('vary')).toBe('authorization');
    expect(await (await go(handler, '/', { authorization: `Basic ${id}` })).text()).toBe('count=1');
  });

  it('F5: hostile header values (forged, huge, garbage) are no session, never a throw (S33)', async () => {
    const handler = app({ header: 'x-session' });
    const id = (await go(handler, '/')).headers.get('x-session') as string;
    const forged = `${id.slice(0, -2)}${id.endsWith('A') ? 'BB' : 'AA'}`;
    for (const value of [forged, 'x'.repeat(1_000_000), '.', 'a.b.c', `${id},${id}`, '\t']) {
      const response = await go(handler, '/', { 'x-session': value });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('count=1');
    }
    const bearer = app({ bearer: true });
    for (const value of ['Bearer', 'Bearer ', `Bearer ${'a'.repeat(100_000)}`, 'Bearer a b']) {
      expect(await (await go(bearer, '/', { authorization: value })).text()).toBe('count=1');
    }
  });

  it('F5: invalid transport options are SessionConfigErrors naming the option', () => {
    const base = { store: memoryStore(), secrets: SECRET };
    for (const [transport, option] of [
      [{ header: 'set-cookie' }, 'transport.header'],
      [{ header: 'bad header' }, 'transport.header'],
      [{ header: 'cookie' }, 'transport.header'],
      [{ bearer: 'yes' }, 'transport.bearer'],
      [{ bearer: true, responseHeader: 'a;b' }, 'transport.responseHeader'],
      ['header', 'transport'],
    ] as const) {
      expect(() => createSessionManager({ ...base, transport: transport as never })).toThrow(
        expect.objectContaining({ option }),
      );
    }
  });
});
