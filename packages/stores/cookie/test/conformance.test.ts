import { cookieStore } from '@fetch-session/cookie';
import { describeCookieSessionStore } from '@fetch-session/core/testing';

const secret = 'cookie-store-test-secret-0123456789abcdef';

describeCookieSessionStore({
  name: 'cookie',
  createStore: ({ now }) => cookieStore({ secrets: secret, now }),
  createForeignStore: ({ now }) =>
    cookieStore({ secrets: 'another-secret-entirely-0123456789abcdef', now }),
});
