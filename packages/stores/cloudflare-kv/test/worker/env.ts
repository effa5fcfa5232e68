import type { KVNamespace } from '@cloudflare/workers-types';

/** The test Worker's bindings (see helpers/test-worker.ts). */
export interface Env {
  readonly SESSIONS: KVNamespace;
}
