// Field bookkeeping on its own (no manager, no store): reads, assignments and the diff a
// commit writes.
import { SessionSerializationError } from '@fetch-session/core/errors';
import { isRedacted } from '@fetch-session/core/store-kit';
import { describe, expect, it } from 'vitest';
import { SessionFields } from '../src/session-fields.js';

function fields(stored: Record<string, string> = {}) {
  let parses = 0;
  const corrupt: string[] = [];
  const bookkeeping = new SessionFields(
    {
      stringify: (value) => JSON.stringify(value),
      parse: (text) => {
        parses++;
        return JSON.parse(text);
      },
    },
    (key) => corrupt.push(key),
  );
  bookkeeping.reset(stored);
  return { bookkeeping, corrupt, parses: () => parses };
}

describe('SessionFields', () => {
  it('parses a stored field once, on first read', () => {
    const { bookkeeping, parses } = fields({ 'd:n': '1', 'd:o': '{"a":1}' });
    expect(parses()).toBe(0);
    expect(bookkeeping.read('d:n')).toBe(1);
    expect(bookkeeping.read('d:n')).toBe(1);
    expect(parses()).toBe(1);
    expect(bookkeeping.read('d:missing')).toBeUndefined();
    expect(parses()).toBe(1);
  });

  it('a stored value that does not parse reads as absent and is reported by key', () => {
    const { bookkeeping, corrupt } = fields({ 'd:bad': '{not json', 'f:worse': 'x' });
    expect(bookkeeping.read('d:bad')).toBeUndefined();
    expect(bookkeeping.read('f:worse')).toBeUndefined();
    expect(corrupt).toEqual(['bad', 'worse']);
    expect(bookkeeping.diff()).toEqual({ set: {}, deleted: [] });
  });

  it('reading changes nothing; a read object mutated in place is in the diff', () => {
    const { bookkeeping } = fields({ 'd:n': '1', 'd:cart': '{"items":[]}', 'd:same': '{}' });
    bookkeeping.read('d:n');
    bookkeeping.read('d:same');
    const cart = bookkeeping.read('d:cart') as { items: string[] };
    expect(bookkeeping.diff()).toEqual({ set: {}, deleted: [] });
    cart.items.push('book');
    expect(bookkeeping.diff()).toEqual({ set: { 'd:cart': '{"items":["book"]}' }, deleted: [] });
  });

  it('assignments: new and changed values are set, deletions listed, unchanged values skipped', () => {
    const { bookkeeping } = fields({ 'd:keep': '1', 'd:change': '1', 'd:drop': '1' });
    bookkeeping.assign('d:keep', 1);
    bookkeeping.assign('d:change', 2);
    bookkeeping.assign('d:drop', undefined);
    bookkeeping.assign('d:new', 'x');
    bookkeeping.assign('d:never', undefined); // deleting what was never stored: nothing to do
    bookkeeping.assign('f:notice', 'hi');
    expect(bookkeeping.diff()).toEqual({
      set: { 'd:change': '2', 'd:new': '"x"', 'f:notice': '"hi"' },
      deleted: ['d:drop'],
    });
  });

  it('has() answers without parsing, and sees assignments', () => {
    const { bookkeeping, parses } = fields({ 'd:a': '1', 'd:b': '2' });
    expect(bookkeeping.has('d:a')).toBe(true);
    expect(bookkeeping.has('d:z')).toBe(false);
    bookkeeping.assign('d:a', undefined);
    bookkeeping.assign('d:z', 0);
    expect(bookkeeping.has('d:a')).toBe(false);
    expect(bookkeeping.has('d:z')).toBe(true);
    expect(parses()).toBe(0);
  });

  it('dataFields() lists data that holds a value: no flash, no deletions', () => {
    const { bookkeeping } = fields({ 'd:a': '1', 'd:b': '2', 'f:n': '"x"' });
    bookkeeping.assign('d:b', undefined);
    bookkeeping.assign('d:c', 3);
    bookkeeping.assign('f:m', 'y');
    expect(bookkeeping.dataFields().sort()).toEqual(['d:a', 'd:c']);
  });

  it('all() is what was loaded with the diff applied', () => {
    const { bookkeeping } = fields({ 'd:a': '1', 'd:b': '2', 'f:n': '"x"' });
    bookkeeping.assign('d:a', 10);
    bookkeeping.assign('f:n', undefined);
    expect(bookkeeping.all(bookkeeping.diff().set)).toEqual({ 'd:a': '10', 'd:b': '2' });
  });

  it('reset() forgets every change and starts from the given fields', () => {
    const { bookkeeping } = fields({ 'd:a': '1' });
    bookkeeping.assign('d:a', 2);
    bookkeeping.reset();
    expect(bookkeeping.diff()).toEqual({ set: {}, deleted: [] });
    expect(bookkeeping.has('d:a')).toBe(false);
    bookkeeping.reset({ 'd:b': '"b"' });
    expect(bookkeeping.read('d:b')).toBe('b');
  });

  it('S24: a value that does not serialize fails naming the key, with a redacted cause', () => {
    const { bookkeeping } = fields();
    const cyclic: Record<string, unknown> = { secret: 'card-4111' };
    cyclic.self = cyclic;
    bookkeeping.assign('d:loop', cyclic);
    let caught: unknown;
    try {
      bookkeeping.diff();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SessionSerializationError);
    expect((caught as SessionSerializationError).key).toBe('loop');
    expect(isRedacted((caught as Error).cause)).toBe(true);
  });
});
