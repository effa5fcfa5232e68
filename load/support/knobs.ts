/**
 * Durations and sizes of the load suite, from the environment. `LOAD_SECONDS` scales every
 * timed phase; the defaults keep `npm run test:load` near a minute on a 2-core machine.
 *
 * - `LOAD_SECONDS` (10): the demo load run; the outage run and the KV stream are fractions of it.
 * - `LOAD_CLIENTS` (200): concurrent clients, each with its own session (demo load and outage).
 * - `LOAD_FLOOD` (4000): requests of the memory-bound floods.
 */
function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

export const LOAD_SECONDS = positive('LOAD_SECONDS', 10);
export const LOAD_CLIENTS = Math.round(positive('LOAD_CLIENTS', 200));
export const LOAD_FLOOD = Math.round(positive('LOAD_FLOOD', 4000));

/** The outage run: load before the stop, Redis down, load after the restart (ms). */
export const OUTAGE_PHASES = {
  before: Math.max(1_000, LOAD_SECONDS * 200),
  down: Math.max(1_000, LOAD_SECONDS * 200),
  after: Math.max(3_000, LOAD_SECONDS * 300),
} as const;

/** The sustained KV stream (ms). */
export const KV_STREAM_MS = Math.max(2_500, LOAD_SECONDS * 300);
