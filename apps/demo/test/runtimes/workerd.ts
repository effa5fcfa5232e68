import { Miniflare } from 'miniflare';
import { bundleWorker, workerOptions } from '../../scripts/worker.mjs';
import type { RunningDemo } from '../behaviour.js';

/** A running Worker, and its KV namespace as the test sees it. */
export interface RunningWorkerDemo extends RunningDemo {
  /** The keys in the `SESSIONS` namespace. */
  kvKeys(): Promise<string[]>;
}

/**
 * The demo's Worker (src/worker.ts, bundled as `npm run dev:worker` does) in workerd through
 * Miniflare, with a fresh in-memory KV namespace bound as `SESSIONS`, served over real HTTP on
 * a free loopback port (so `Origin` and the request URL agree, as the CSRF check needs).
 */
export async function startWorkerdDemo(
  bindings: Record<string, string> = {},
  { store = 'kv' }: { store?: 'kv' | 'durable-objects' } = {},
): Promise<RunningWorkerDemo> {
  const mf = new Miniflare({
    ...workerOptions(
      await bundleWorker(),
      {
        SESSION_SECRET: 'demo-test-secret-0123456789abcdefghij',
        ENVIRONMENT: 'development',
        ...bindings,
      },
      { store },
    ),
    host: '127.0.0.1',
    port: 0,
  });
  let url: URL;
  try {
    url = await mf.ready;
  } catch (error) {
    await mf.dispose(); // never leave a workerd process behind
    throw error;
  }
  return {
    origin: url.origin,
    stop: () => mf.dispose(),
    kvKeys: async () => {
      const kv = await mf.getKVNamespace('SESSIONS');
      return (await kv.list()).keys.map((key) => key.name);
    },
  };
}
