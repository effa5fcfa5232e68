// The `insecure-transport` event: a Secure cookie set over plain http to a host that browsers
// do not treat as a secure context is silently dropped; the manager says so, once.
import { createSessionManager, type SessionEvent, type SessionOptions } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';
import { SECRET } from './helpers.js';

function manager(options: Partial<SessionOptions> = {}) {
  const events: SessionEvent[] = [];
  const sessions = createSessionManager({
    store: memoryStore(),
    secrets: SECRET,
    onEvent: (event) => events.push(event),
    ...options,
  });
  const handler = sessions.wrap(async (_request, session) => {
    await session.set('n', 1);
    return new Response('ok');
  });
  const warnings = () => events.filter((event) => event.type === 'insecure-transport');
  return { sessions, handler, warnings };
}

describe('insecure-transport event (cookie.secure over plain http)', () => {
  it('is emitted once per manager, with the origin, for http to a LAN address', async () => {
    const { handler, warnings } = manager();
    const response = await handler(new Request('http://192.168.1.20:3000/page?token=x'));
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(warnings()).toEqual([
      { type: 'insecure-transport', origin: 'http://192.168.1.20:3000' },
    ]);
    await handler(new Request('http://192.168.1.20:3000/again'));
    await handler(new Request('http://myapp.lan/'));
    expect(warnings()).toHaveLength(1);
    // Another manager warns on its own.
    const other = manager();
    await other.handler(new Request('http://myapp.lan/'));
    expect(other.warnings()).toHaveLength(1);
  });

  it('is not emitted for secure contexts: https, localhost, *.localhost, 127.x and [::1]', async () => {
    const { handler, warnings } = manager();
    for (const url of [
      'https://192.168.1.20/',
      'http://localhost:3000/',
      'http://LOCALHOST/',
      'http://app.localhost:3000/',
      'http://127.0.0.1:8787/',
      'http://127.1.2.3/',
      'http://[::1]:3000/',
    ]) {
      await handler(new Request(url));
    }
    expect(warnings()).toEqual([]);
  });

  it('is not emitted when a TLS-terminating proxy says the request was https', async () => {
    const { handler, warnings } = manager();
    await handler(new Request('http://10.0.0.5/', { headers: { 'x-forwarded-proto': 'https' } }));
    await handler(
      new Request('http://10.0.0.5/', { headers: { forwarded: 'for=1.2.3.4;proto=https' } }),
    );
    expect(warnings()).toEqual([]);
    await handler(new Request('http://10.0.0.5/', { headers: { 'x-forwarded-proto': 'http' } }));
    expect(warnings()).toHaveLength(1);
  });

  it('is not emitted with cookie.secure: false, nor when no cookie is set', async () => {
    const plain = manager({ cookie: { secure: false } });
    await plain.handler(new Request('http://192.168.1.20/'));
    expect(plain.warnings()).toEqual([]);

    const { sessions, warnings } = manager();
    const readOnly = sessions.wrap(async (_request, session) => {
      await session.get('n');
      return new Response('ok');
    });
    await readOnly(new Request('http://192.168.1.20/'));
    expect(warnings()).toEqual([]);
  });

  it('uses the url option when the adapter passes only a cookie header', async () => {
    const { sessions, warnings } = manager();
    const headerOnly = sessions.open(null);
    await headerOnly.set('n', 1);
    await sessions.commit(headerOnly);
    expect(warnings()).toEqual([]); // no URL known: no guess

    const withUrl = sessions.open(null, { url: 'http://192.168.1.20:5173/' });
    await withUrl.set('n', 1);
    await sessions.commit(withUrl);
    expect(warnings()).toEqual([
      { type: 'insecure-transport', origin: 'http://192.168.1.20:5173' },
    ]);
  });
});
