import { SessionConfigError } from '@fetch-session/core/errors';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/options.js';

// The options alone: the store module itself imports `cloudflare:workers` and runs in workerd.
describe('durableObjectStore options', () => {
  const namespace = { idFromName: () => ({}), get: () => ({}) as never };

  it('names the option and the fix for a missing or wrong binding', () => {
    for (const bad of [undefined, null, {}, { get: () => ({}) }, 'SESSIONS']) {
      const error = (() => {
        try {
          resolveOptions({ namespace: bad as never });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(SessionConfigError);
      expect(error).toMatchObject({ option: 'namespace' });
      expect((error as Error).message).toMatch(/env\.SESSIONS/);
    }
    expect(() => resolveOptions(null as never)).toThrow(SessionConfigError);
  });

  it('takes a clock, and refuses one that is not a function', () => {
    expect(resolveOptions({ namespace }).now).toBe(Date.now);
    const now = () => 1;
    expect(resolveOptions({ namespace, now }).now).toBe(now);
    expect(() => resolveOptions({ namespace, now: 1 as never })).toThrow(
      expect.objectContaining({ option: 'now' }),
    );
  });
});
