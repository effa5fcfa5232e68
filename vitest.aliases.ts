// Tests run against the sources of every workspace package, so no build is needed first and
// all packages share one module graph (one `SessionStoreError` class, not a src and a dist copy).
import { fileURLToPath } from 'node:url';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export const workspaceAliases: Record<string, string> = {
  '@fetch-session/core/errors': here('./packages/core/src/errors.ts'),
  '@fetch-session/core/store-kit': here('./packages/core/src/store-kit/index.ts'),
  // Before `core/testing`: an alias also matches as a path prefix, so longer names go first.
  '@fetch-session/core/testing/fakes': here('./packages/core/src/testing/fakes.ts'),
  '@fetch-session/core/testing/node': here('./packages/core/src/testing/node.ts'),
  '@fetch-session/core/testing': here('./packages/core/src/testing/index.ts'),
  '@fetch-session/core': here('./packages/core/src/index.ts'),
  '@fetch-session/memory': here('./packages/stores/memory/src/index.ts'),
  '@fetch-session/redis-core': here('./packages/stores/redis-core/src/index.ts'),
  '@fetch-session/redis': here('./packages/stores/redis/src/index.ts'),
  '@fetch-session/upstash': here('./packages/stores/upstash/src/index.ts'),
  '@fetch-session/cloudflare-kv': here('./packages/stores/cloudflare-kv/src/index.ts'),
  '@fetch-session/filesystem': here('./packages/stores/filesystem/src/index.ts'),
  '@fetch-session/memcached': here('./packages/stores/memcached/src/index.ts'),
  '@fetch-session/durable-objects': here('./packages/stores/durable-objects/src/index.ts'),
  '@fetch-session/sql-core': here('./packages/stores/sql-core/src/index.ts'),
  '@fetch-session/postgres': here('./packages/stores/postgres/src/index.ts'),
  '@fetch-session/sqlite': here('./packages/stores/sqlite/src/index.ts'),
  '@fetch-session/cookie': here('./packages/stores/cookie/src/index.ts'),
  '@fetch-session/hono': here('./packages/adapters/hono/src/index.ts'),
  '@fetch-session/next': here('./packages/adapters/next/src/index.ts'),
  '@fetch-session/node/fetch': here('./packages/adapters/node/src/fetch.ts'),
  '@fetch-session/node': here('./packages/adapters/node/src/index.ts'),
};
