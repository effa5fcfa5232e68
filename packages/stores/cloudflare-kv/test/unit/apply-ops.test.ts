import { describe, expect, it } from 'vitest';
import { applyOps } from '../../src/apply-ops.js';
import type { QueuedOp } from '../../src/queued-op.js';
import type { StoredSession } from '../../src/record-codec.js';

const meta = (lastSeenAt = 0) => ({ createdAt: 0, lastSeenAt, permanent: false });
const write = (
  set: Record<string, string>,
  mode: 'create' | 'update' = 'update',
  { at = 0, expiresAt = 1_000, deleted = [] as string[] } = {},
): QueuedOp => ({
  kind: 'write',
  at,
  mode,
  expiresAt,
  patch: { meta: meta(at), set, delete: deleted },
});
const stored: StoredSession = { meta: meta(), fields: { 'd:a': '1' }, expiresAt: 1_000 };

describe('applyOps', () => {
  it('applies a batch in arrival order, each as if alone', () => {
    const result = applyOps(stored, [
      write({ 'd:b': '2' }),
      write({ 'd:c': '3' }, 'update', { deleted: ['d:a'] }),
      write({ 'd:x': '1' }, 'create'),
      { kind: 'touch', at: 5, meta: meta(5), expiresAt: 2_000 },
    ]);
    expect(result.outcomes).toEqual(['ok', 'ok', 'conflict', 'ok']);
    expect(result.state).toEqual({
      meta: meta(5),
      fields: { 'd:b': '2', 'd:c': '3' },
      expiresAt: 2_000,
    });
    expect(result).toMatchObject({ changed: true, created: false });
  });

  it('S21: refuses updates and touches after a delete in the same batch', () => {
    const result = applyOps(stored, [
      write({ 'd:b': '2' }),
      { kind: 'delete' },
      write({ 'd:c': '3' }),
      { kind: 'touch', at: 0, meta: meta(), expiresAt: 1_000 },
    ]);
    expect(result.outcomes).toEqual(['ok', 'ok', 'conflict', 'conflict']);
    expect(result.state).toBeUndefined();
    expect(result.changed).toBe(true);
  });

  it('changes nothing when every call is refused', () => {
    expect(applyOps(undefined, [write({ 'd:a': '1' })])).toMatchObject({
      outcomes: ['conflict'],
      changed: false,
      state: undefined,
    });
  });

  it('judges expiry at the time each call was made, not when the batch runs', () => {
    const expiring = { ...stored, expiresAt: 100 };
    expect(applyOps(expiring, [write({ 'd:b': '2' }, 'update', { at: 99 })]).outcomes).toEqual([
      'ok',
    ]);
    expect(applyOps(expiring, [write({ 'd:b': '2' }, 'update', { at: 100 })]).outcomes).toEqual([
      'conflict',
    ]);
    const created = applyOps(expiring, [write({ 'd:b': '2' }, 'create', { at: 100 })]);
    expect(created.outcomes).toEqual(['ok']);
    expect(created.state?.fields).toEqual({ 'd:b': '2' }); // the expired fields are not merged
    expect(created.created).toBe(true);
  });

  it('keeps the latest expiry asked for within a batch, and replaces what KV had', () => {
    const result = applyOps({ ...stored, expiresAt: 9_000 }, [
      write({ 'd:b': '2' }, 'update', { expiresAt: 5_000 }),
      write({ 'd:c': '3' }, 'update', { expiresAt: 4_000 }),
    ]);
    expect(result.state?.expiresAt).toBe(5_000);
  });

  it('S30: merges a __proto__ field as data', () => {
    const result = applyOps(stored, [write(JSON.parse('{"__proto__":"x"}'))]);
    expect(Object.hasOwn(result.state?.fields ?? {}, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(result.state?.fields)).toBe(Object.prototype);
  });
});
