import { SessionSerializationError } from './errors.js';
import type { SessionSerializer } from './options.js';
import { redactError } from './store-kit/redact.js';

/** Field-name prefix of session data (`d:cart`). */
export const DATA_FIELD = 'd:';
/** Field-name prefix of flash values (`f:notice`). */
export const FLASH_FIELD = 'f:';
const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

/** What a commit must write: serialized values to set, and fields to delete. */
export interface FieldDiff {
  readonly set: Record<string, string>;
  readonly deleted: string[];
}

/**
 * The fields of one session, as loaded and as changed: parses a field on first read, records
 * assignments and deletions, and works out what differs from what was loaded. Pure
 * bookkeeping: no I/O, no clock. Objects handed out are tracked, because the handler may mutate
 * them; at commit their serialized form decides whether they changed.
 */
export class SessionFields {
  readonly #serializer: SessionSerializer;
  /** Told the top-level key of a stored value that does not parse. */
  readonly #onCorrupt: (key: string) => void;
  /** Serialized fields as loaded: the baseline for change detection. */
  #stored: Readonly<Record<string, string>> = NO_FIELDS;
  /** Parsed or assigned values by field; `undefined` marks a deletion. */
  readonly #values = new Map<string, unknown>();
  /** Fields that may differ from `#stored`: assigned, deleted, or handed out as objects. */
  readonly #tracked = new Set<string>();

  constructor(serializer: SessionSerializer, onCorrupt: (key: string) => void) {
    this.#serializer = serializer;
    this.#onCorrupt = onCorrupt;
  }

  /** Starts over from `stored` (a load), or from nothing (a destroy), forgetting every change. */
  reset(stored: Readonly<Record<string, string>> = NO_FIELDS): void {
    this.#stored = stored;
    this.#values.clear();
    this.#tracked.clear();
  }

  /** The value of `field`, parsed once; a stored value that does not parse reads as absent. */
  read(field: string): unknown {
    let value: unknown;
    if (this.#values.has(field)) {
      value = this.#values.get(field);
    } else {
      const text = this.#stored[field];
      if (text === undefined) return undefined;
      try {
        value = this.#serializer.parse(text);
      } catch {
        // Stored data that does not parse (a corrupted or foreign write) reads as absent, never
        // as an error: the next write of this key replaces it.
        this.#onCorrupt(keyOf(field));
        value = undefined;
      }
      this.#values.set(field, value);
    }
    // Only objects can change behind our back; primitives need no re-serialization at commit.
    if (typeof value === 'object' && value !== null) this.#tracked.add(field);
    return value;
  }

  /**
   * Replaces what `field` reads as, without counting as a change: a stored value that failed
   * its schema reads as absent (`undefined`) and stays stored until the next write of the key.
   */
  adopt(field: string, value: unknown): void {
    this.#values.set(field, value);
  }

  /** Sets `field`; `undefined` deletes it. */
  assign(field: string, value: unknown): void {
    this.#values.set(field, value);
    this.#tracked.add(field);
  }

  /** Whether `field` holds a value (without parsing it). */
  has(field: string): boolean {
    return this.#values.has(field) ? this.#values.get(field) !== undefined : field in this.#stored;
  }

  /** The data fields (`d:` prefix) that hold a value, loaded or assigned. */
  dataFields(): string[] {
    const fields = new Set<string>();
    for (const field in this.#stored) if (field.startsWith(DATA_FIELD)) fields.add(field);
    for (const [field, value] of this.#values) {
      if (!field.startsWith(DATA_FIELD)) continue;
      if (value === undefined) fields.delete(field);
      else fields.add(field);
    }
    return [...fields];
  }

  /**
   * What differs from what was loaded. Throws {@link SessionSerializationError} naming the key
   * (never the value) when a value does not serialize.
   */
  diff(): FieldDiff {
    const set: Record<string, string> = {};
    const deleted: string[] = [];
    for (const field of this.#tracked) {
      const value = this.#values.get(field);
      const previous = this.#stored[field];
      const text = value === undefined ? undefined : this.#stringify(field, value);
      if (text === previous) continue;
      if (text === undefined) deleted.push(field);
      else set[field] = text;
    }
    return { set, deleted };
  }

  /** Every field after applying `set` (from {@link diff}) and the deletions to what was loaded. */
  all(set: Readonly<Record<string, string>>): Record<string, string> {
    const fields: Record<string, string> = { ...this.#stored, ...set };
    for (const field of this.#tracked)
      if (this.#values.get(field) === undefined) delete fields[field];
    return fields;
  }

  #stringify(field: string, value: unknown): string | undefined {
    try {
      return this.#serializer.stringify(value);
    } catch (cause) {
      throw new SessionSerializationError(keyOf(field), {
        cause: redactError(cause),
      });
    }
  }
}

/** The session key a field stores (both prefixes are two characters). */
function keyOf(field: string): string {
  return field.slice(DATA_FIELD.length);
}
