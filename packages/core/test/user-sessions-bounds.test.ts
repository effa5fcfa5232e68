import { createSessionManager, type SessionStore } from '@fetch-session/core';
import { createTestClock } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';
import { REVOKE_BATCH_SIZE } from '../src/user-sessions.js';
import { SECRET } from './helpers.js';

/** The memory store, with its deletes counted: how many at once, how many in all. */
function countDeletes(base: SessionStore) {
  const counts = { inFlight: 0, maxInFlight: 0, total: 0 };
  const store: SessionStore = {
    ...base,
    name: base.name,
    load: (key) => base.load(key),
    write: (key, patch, options) => base.write(key, patch, options),
    async delete(key) {
      counts.inFlight++;
      counts.total++;
      counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
      // Let every other delete of the batch start before this one ends.
      await Promise.resolve();
      await Promise.resolve();
      try {
        return await base.delete(key);
      } finally {
        counts.inFlight--;
      }
    },
    listUserSessions: (userId) => base.listUserSessions?.(userId) ?? Promise.resolve([]),
  };
  return { store, counts };
}

describe('per-user bounds', () => {
  it('H7: revokeAllSessions() deletes in batches, and ends every session', async () => {
    const clock = createTestClock();
    const { store, counts } = countDeletes(memoryStore({ now: clock.now }));
    const sessions = createSessionManager({ store, secrets: SECRET, now: clock.now });
    const sessionCount = 2 * REVOKE_BATCH_SIZE + 3;
    for (let i = 0; i < sessionCount; i++) {
      const session = sessions.open('');
      await session.bindUser('ada', { device: `d${i}` });
      await sessions.commit(session);
    }
    expect(await sessions.listSessions('ada')).toHaveLength(sessionCount);
    counts.total = 0;
    expect(await sessions.revokeAllSessions('ada')).toBe(sessionCount);
    expect(counts.total).toBe(sessionCount);
    expect(counts.maxInFlight).toBe(REVOKE_BATCH_SIZE);
    expect(await sessions.listSessions('ada')).toEqual([]);
  });

  it('H7: maxSessionsPerUser must be a whole number, 1 or more', () => {
    for (const maxSessionsPerUser of [0, 1.5, Number.NaN]) {
      expect(() =>
        createSessionManager({ store: memoryStore(), secrets: SECRET, maxSessionsPerUser }),
      ).toThrow(/maxSessionsPerUser/);
    }
  });
});
