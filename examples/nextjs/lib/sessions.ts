// lib/sessions.ts: one manager for the whole app, at module scope.
import { createSessionManager } from '@fetch-session/core';
import { type MemoryStore, memoryStore } from '@fetch-session/memory';

export interface Data {
  count: number;
  user: { id: string; name: string };
}
export interface Flash {
  notice: string;
}

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

// `next build` bundles the proxy, the route handlers and the pages separately, and each bundle
// evaluates this module once: keep a memory store on globalThis so they all share it. In
// production, use a shared store (Upstash, Workers KV, ...) instead.
const shared = globalThis as typeof globalThis & { sessionStore?: MemoryStore };
shared.sessionStore ??= memoryStore();

export const sessions = createSessionManager<Data, Flash>({
  store: shared.sessionStore,
  secrets: [secret],
});
