import { Redis } from '@upstash/redis';
import type { UpstashRestServer } from './upstash-rest-server.js';

export interface ClientSettings {
  /** The client's default since 1.34: commands of one tick share one `/pipeline` request. */
  readonly autoPipelining: boolean;
  /** The client's default is `true`; the store must cope with both. @default false */
  readonly automaticDeserialization?: boolean;
}

/** A real `@upstash/redis` client aimed at a test server; failures are not retried. */
export function testClient(server: UpstashRestServer, settings: ClientSettings): Redis {
  return new Redis({
    url: server.url,
    token: server.token,
    retry: { retries: 0 },
    enableTelemetry: false,
    enableAutoPipelining: settings.autoPipelining,
    automaticDeserialization: settings.automaticDeserialization ?? false,
  });
}

/** The variants every behavioural test runs against. */
export const CLIENT_VARIANTS: readonly (ClientSettings & { readonly label: string })[] = [
  { label: 'auto-pipelining on', autoPipelining: true },
  { label: 'auto-pipelining off', autoPipelining: false },
];
