import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/** The running fixture app. */
export const origin: string = inject('nextOrigin');

/** The session cookie pair (`sid=...`) a response sets, if any. */
export function sessionSetCookies(response: Response): string[] {
  return response.headers.getSetCookie().filter((cookie) => cookie.startsWith('sid='));
}

/** A browser: keeps the cookies responses set and sends them back. */
export function browser(initial: Record<string, string> = {}) {
  const jar = new Map(Object.entries(initial));
  return {
    jar,
    get sid(): string | undefined {
      return jar.get('sid');
    },
    get cookieHeader(): string {
      return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    },
    async fetch(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      if (jar.size > 0) headers.set('cookie', this.cookieHeader);
      const response = await fetch(origin + path, { redirect: 'manual', ...init, headers });
      for (const setCookie of response.headers.getSetCookie()) {
        const pair = setCookie.split(';')[0] as string;
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq);
        if (/;\s*max-age=0/i.test(setCookie) || /expires=thu, 01 jan 1970/i.test(setCookie)) {
          jar.delete(name);
        } else {
          jar.set(name, pair.slice(eq + 1));
        }
      }
      return response;
    },
  };
}

/** The fixture's test-only state: store sizes, outage switch, clock offset. */
export async function fixtureState(): Promise<{
  appStoreSize: number;
  scenarioStoreSize: number;
  failing: boolean;
  clockOffset: number;
}> {
  return (await fetch(`${origin}/fixture/state`)).json();
}

/** Moves the fixture app's clock forward. */
export async function advanceClock(ms: number): Promise<void> {
  const response = await fetch(`${origin}/fixture/clock?advance=${ms}`, { method: 'POST' });
  if (!response.ok) throw new Error(`clock: ${response.status}`);
}

/** A Server Action's ID, from the build's manifest, by file and export name. */
export function actionId(file: string, exportedName: string): string {
  const manifest = JSON.parse(
    readFileSync(join(inject('fixtureDir'), '.next/server/server-reference-manifest.json'), 'utf8'),
  ) as { node: Record<string, { filename: string; exportedName: string }> };
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename.endsWith(file) && entry.exportedName === exportedName) return id;
  }
  throw new Error(`no server action ${exportedName} in ${file}`);
}

/**
 * Calls a Server Action the way Next's client does: a POST to the page with the action's ID
 * in `Next-Action` and the arguments as the body.
 */
export function callAction(
  user: ReturnType<typeof browser>,
  page: string,
  id: string,
  args: unknown[] = [],
): Promise<Response> {
  return user.fetch(page, {
    method: 'POST',
    headers: {
      accept: 'text/x-component',
      'content-type': 'text/plain;charset=UTF-8',
      'next-action': id,
      origin,
    },
    body: JSON.stringify(args),
  });
}

/** Max-Age of a Set-Cookie, in seconds. */
export function maxAge(setCookie: string): number | undefined {
  const match = /;\s*max-age=(\d+)/i.exec(setCookie);
  return match ? Number(match[1]) : undefined;
}
