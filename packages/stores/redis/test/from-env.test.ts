/**
 * `redisStoreFromEnv`: the demo's store selection. A single node from REDIS_URL, the Cluster
 * from REDIS_CLUSTER_NODES (which wins), nothing when neither is set, a bad list named.
 */
import { SessionConfigError } from '@fetch-session/core/errors';
import { expect, inject, it } from 'vitest';
import { redisStoreFromEnv } from '../src/index.js';

const meta = { createdAt: 1, lastSeenAt: 1, permanent: false, userId: 'env-user' };

async function roundTrip(
  store: NonNullable<Awaited<ReturnType<typeof redisStoreFromEnv>>>['store'],
) {
  const key = `sess:env-${Math.random()}`;
  await store.write(
    key,
    { meta, set: { 'd:a': '1' }, delete: [] },
    { mode: 'create', expiresAt: Date.now() + 60_000 },
  );
  expect((await store.load(key))?.fields).toEqual({ 'd:a': '1' });
  expect((await store.listUserSessions('env-user')).map((entry) => entry.key)).toContain(key);
  await store.delete(key);
}

it('returns undefined when neither variable is set', async () => {
  expect(await redisStoreFromEnv({})).toBeUndefined();
  expect(await redisStoreFromEnv({ REDIS_URL: ' ' })).toBeUndefined();
});

it('connects a single node from REDIS_URL', async () => {
  const redis = await redisStoreFromEnv({ REDIS_URL: `redis://127.0.0.1:${inject('redisPort')}` });
  expect(redis?.cluster).toBe(false);
  await roundTrip(redis?.store as never);
  await redis?.close();
});

it('connects the Cluster from REDIS_CLUSTER_NODES, which wins over REDIS_URL', async () => {
  const nodes = inject('clusterPorts')
    .map((port) => `127.0.0.1:${port}`)
    .join(',');
  const redis = await redisStoreFromEnv({
    REDIS_CLUSTER_NODES: nodes,
    REDIS_URL: 'redis://127.0.0.1:1',
  });
  expect(redis?.cluster).toBe(true);
  await roundTrip(redis?.store as never);
  await redis?.close();
});

it('names REDIS_CLUSTER_NODES when it is not host:port,…', async () => {
  const error = await redisStoreFromEnv({ REDIS_CLUSTER_NODES: 'localhost' }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SessionConfigError);
  expect(error).toMatchObject({ option: 'REDIS_CLUSTER_NODES' });
});
