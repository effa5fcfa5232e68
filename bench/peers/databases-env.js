/**
 * The databases the database servers of servers.js talk to: a throwaway PostgreSQL (with
 * connect-pg-simple's table) and a throwaway redis-server, as `BENCH_DATABASE_URL` and
 * `BENCH_REDIS_URL` in the servers' environment. Used by `npm run bench:databases` and by
 * bench/peers/profile.js.
 */
import { createConnectPgSimpleTable, startPostgresServer } from './postgres.js';
import { startRedisServer } from './redis.js';

/**
 * Starts the databases asked for. `env`: the servers' environment; `helpers`: the database
 * processes, whose CPU time is the measurement's own; `stop()`: stops them (safe to call twice).
 *
 * @param {{ postgres?: boolean, redis?: boolean }} which
 */
export async function startDatabases(which) {
  const postgres = which.postgres ? await startPostgresServer() : undefined;
  let redis;
  const stop = async () => {
    await redis?.stop();
    await postgres?.destroy();
  };
  try {
    redis = which.redis ? await startRedisServer() : undefined;
    if (postgres !== undefined) await createConnectPgSimpleTable(postgres.url);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    postgres,
    redis,
    env: {
      ...process.env,
      ...(postgres && { BENCH_DATABASE_URL: postgres.url }),
      ...(redis && { BENCH_REDIS_URL: `redis://127.0.0.1:${redis.port}` }),
    },
    helpers: [postgres?.pid(), redis?.pid].filter((pid) => pid !== undefined),
    stop,
  };
}
