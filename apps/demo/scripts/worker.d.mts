import type { BuildOptions } from 'esbuild';
import type { MiniflareOptions } from 'miniflare';

export declare const COMPATIBILITY_DATE: string;
export declare const workerBuildOptions: BuildOptions & { write: false };
export declare function bundleWorker(): Promise<string>;
export declare function workerOptions(
  script: string,
  bindings: Record<string, string>,
  choice?: { store?: 'kv' | 'durable-objects' },
): MiniflareOptions;
