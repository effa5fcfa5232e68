import type { StandardSchemaV1 } from '@standard-schema/spec';
import { SessionConfigError } from './errors.js';

/**
 * A schema for session data: one Standard Schema (zod, valibot, arktype...) per top-level key,
 * or one for the whole data object. Stored values are checked when the session loads.
 */
export type SessionSchema =
  | StandardSchemaV1<unknown, object>
  | { readonly [key: string]: StandardSchemaV1 };

/** The session data type a {@link SessionSchema} describes (its output types). */
export type InferSessionData<S extends SessionSchema> =
  S extends StandardSchemaV1<unknown, infer Output extends object>
    ? Output
    : {
        [K in keyof S]: S[K] extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S[K]> : never;
      };

/** The outcome of checking stored data: the values to use, and the keys that failed. */
export interface SchemaCheck {
  readonly values: Map<string, unknown>;
  readonly invalid: string[];
}

function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const standard = (value as { '~standard'?: { validate?: unknown } } | null)?.['~standard'];
  return typeof standard === 'object' && typeof standard?.validate === 'function';
}

/**
 * Checks stored session data against a validated {@link SessionSchema}. Validators may be
 * async. A validator that throws counts as a failure, never as an error of the request.
 */
export class SessionDataSchema {
  readonly #whole: StandardSchemaV1 | undefined;
  readonly #perKey: ReadonlyMap<string, StandardSchemaV1>;

  /** Throws {@link SessionConfigError} naming `schema` or `schema.<key>`. */
  constructor(schema: unknown) {
    if (isStandardSchema(schema)) {
      this.#whole = schema;
      this.#perKey = new Map();
      return;
    }
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
      throw new SessionConfigError(
        'schema',
        'must be a Standard Schema (zod, valibot, arktype...) or an object of them per key',
      );
    }
    const perKey = new Map<string, StandardSchemaV1>();
    for (const [key, keySchema] of Object.entries(schema)) {
      if (!isStandardSchema(keySchema)) {
        throw new SessionConfigError(
          `schema.${key}`,
          'must be a Standard Schema (zod, valibot, arktype...)',
        );
      }
      perKey.set(key, keySchema);
    }
    this.#whole = undefined;
    this.#perKey = perKey;
  }

  /**
   * Checks `values` (stored data by key, already parsed). Keys without a schema pass as they
   * are. A failure on the whole-data schema drops the keys its issues name (all of them when
   * an issue names none).
   */
  async check(values: ReadonlyMap<string, unknown>): Promise<SchemaCheck> {
    if (this.#whole !== undefined) return this.#checkWhole(this.#whole, values);
    const checked = new Map<string, unknown>();
    const invalid: string[] = [];
    await Promise.all(
      [...values].map(async ([key, value]) => {
        const schema = this.#perKey.get(key);
        if (schema === undefined) {
          checked.set(key, value);
          return;
        }
        const result = await validate(schema, value);
        if (result === undefined) invalid.push(key);
        else checked.set(key, result.value);
      }),
    );
    return { values: checked, invalid };
  }

  /** Keys whose stored values need checking: all with a whole schema. */
  covers(key: string): boolean {
    return this.#whole !== undefined || this.#perKey.has(key);
  }

  async #checkWhole(
    schema: StandardSchemaV1,
    values: ReadonlyMap<string, unknown>,
  ): Promise<SchemaCheck> {
    const data: Record<string, unknown> = {};
    for (const [key, value] of values) {
      Object.defineProperty(data, key, { value, enumerable: true, writable: true });
    }
    let result: StandardSchemaV1.Result<unknown>;
    try {
      result = await schema['~standard'].validate(data);
    } catch {
      return { values: new Map(), invalid: [...values.keys()] };
    }
    if (result.issues === undefined) {
      const output = result.value;
      if (output === null || typeof output !== 'object') {
        return { values: new Map(), invalid: [...values.keys()] };
      }
      return { values: new Map(Object.entries(output)), invalid: [] };
    }
    const named = new Set<string>();
    for (const issue of result.issues) {
      const first = issue.path?.[0];
      const key = typeof first === 'object' && first !== null ? first.key : first;
      if (key === undefined) return { values: new Map(), invalid: [...values.keys()] };
      named.add(String(key));
    }
    const checked = new Map<string, unknown>();
    const invalid: string[] = [];
    for (const [key, value] of values) {
      if (named.has(key)) invalid.push(key);
      else checked.set(key, value);
    }
    return { values: checked, invalid };
  }
}

async function validate(
  schema: StandardSchemaV1,
  value: unknown,
): Promise<{ value: unknown } | undefined> {
  try {
    const result = await schema['~standard'].validate(value);
    return result.issues === undefined ? { value: result.value } : undefined;
  } catch {
    return undefined;
  }
}
