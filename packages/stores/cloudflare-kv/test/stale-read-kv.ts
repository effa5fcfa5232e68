import type { KvListResult, KvNamespaceLike } from '@fetch-session/cloudflare-kv';

/**
 * A stale-read double of KV: a wrapper that models one Cloudflare location's cache, the one
 * thing Miniflare cannot show (it has a single location, always consistent). Every value this
 * "location" has read or written is remembered and served again, including after a delete:
 * exactly what a location holding a cached copy does until its cache expires (up to 60 s, as per
 * Cloudflare's documentation). Listings are stale the same way: a key written through this
 * location is still listed after its delete. Writes and deletes still reach the real KV
 * underneath.
 *
 * Tests use it to show what the store's per-isolate tombstones catch (a destroyed session
 * replayed on the isolate that destroyed it) and what nothing on KV alone can catch (the same
 * replay on another isolate or location).
 */
export function createStaleReadKv(kv: KvNamespaceLike): KvNamespaceLike & {
  /** Drops the cached copies, like a location whose cache expired. */
  expireCache(): void;
} {
  const cached = new Map<string, string>();
  const listed = new Map<string, KvListResult['keys'][number]>();
  return {
    async get(key, options) {
      const hit = cached.get(key);
      if (hit !== undefined) return hit;
      const value = await kv.get(key, options);
      if (value !== null) cached.set(key, value);
      return value;
    },
    async put(key, value, options) {
      await kv.put(key, value, options);
      cached.set(key, value);
      listed.set(key, { name: key, metadata: options?.metadata });
    },
    async delete(key) {
      await kv.delete(key); // the cached copy stays: stale reads, stale listings
    },
    async list(options) {
      if (kv.list === undefined) throw new Error('no list()');
      const page = await kv.list(options);
      if (!page.list_complete) return page;
      const prefix = options.prefix ?? '';
      const names = new Set(page.keys.map((key) => key.name));
      const stale = [...listed.values()].filter(
        (key) => key.name.startsWith(prefix) && !names.has(key.name),
      );
      return { ...page, keys: [...page.keys, ...stale] };
    },
    expireCache() {
      cached.clear();
      listed.clear();
    },
  };
}
