/**
 * A real local Redis Cluster: 3 masters and 3 replicas, one `redis-server --cluster-enabled
 * yes` per node directory on loopback ports <= 55535 (each node's bus port is its port +
 * 10000), joined with `redis-cli --cluster create … --cluster-replicas 1 --cluster-yes`,
 * ready once every node reports `cluster_state:ok` and every replica is in sync. Nodes are
 * the Upstash package's launcher's servers (own process group, killed on exit).
 */
import { spawn } from 'node:child_process';
import { Redis as IORedis } from 'ioredis';
import {
  freePort,
  type RedisServer,
  startRedisServer,
} from '../../../upstash/test/support/redis-server.js';

export interface RedisCluster {
  /** Every node, masters and replicas as created (roles change on failover). */
  readonly nodes: readonly RedisServer[];
  readonly ports: readonly number[];
  /** `127.0.0.1:port` of every node. */
  readonly addresses: readonly string[];
  /** Resolves once every running node reports `cluster_state:ok` and replicas are in sync. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** The port of the master serving `key`'s slot, as that master says. */
  masterOf(key: string): Promise<number>;
  /** A plain connection to one node, for inspection (closed by `stop`). */
  connection(port: number): IORedis;
  stop(): Promise<void>;
}

const CLI = process.env.REDIS_CLI_BIN ?? 'redis-cli';
const NODES = 6;
const MAX_PORT = 55_535;

export interface RedisClusterOptions {
  /** `cluster-node-timeout`: how long before a silent master is failed over. @default 1000 */
  readonly nodeTimeout?: number;
}

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const nodeTimeout = options.nodeTimeout ?? 1_000;
  const nodes: RedisServer[] = [];
  const connections = new Map<number, IORedis>();
  const connection = (port: number): IORedis => {
    let found = connections.get(port);
    if (found === undefined) {
      found = new IORedis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
      found.on('error', () => {});
      connections.set(port, found);
    }
    return found;
  };
  const stop = async (): Promise<void> => {
    for (const client of connections.values()) client.disconnect();
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    for (const port of await freePorts(NODES)) {
      nodes.push(
        await startRedisServer({
          port,
          args: [
            ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
            ...['--cluster-node-timeout', String(nodeTimeout)],
            // A replica may take over however long its master was gone (tests kill masters).
            ...['--cluster-replica-validity-factor', '0'],
          ],
        }),
      );
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run(CLI, [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    const cluster: RedisCluster = {
      nodes,
      ports: nodes.map((node) => node.port),
      addresses,
      connection,
      stop,
      async waitUntilHealthy(timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if (await healthy(nodes, connection)) return;
          if (Date.now() > deadline) throw new Error('the Redis Cluster did not become healthy');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
      async masterOf(key) {
        const any = nodes.find((node) => node.pid !== -1) as RedisServer;
        const slot = Number(await connection(any.port).call('CLUSTER', 'KEYSLOT', key));
        const slots = (await connection(any.port).call('CLUSTER', 'SLOTS')) as [
          number,
          number,
          [string, number],
        ][];
        const range = slots.find(([from, to]) => slot >= from && slot <= to);
        if (range === undefined) throw new Error(`no master serves slot ${slot}`);
        return range[2][1];
      },
    };
    await cluster.waitUntilHealthy();
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Every running node says ok, knows 3 masters with slots, and every replica's link is up. */
async function healthy(
  nodes: readonly RedisServer[],
  connection: (port: number) => IORedis,
): Promise<boolean> {
  try {
    let masters = 0;
    for (const node of nodes) {
      if (node.pid === -1) continue;
      const client = connection(node.port);
      const info = String(await client.call('CLUSTER', 'INFO'));
      if (!info.includes('cluster_state:ok')) return false;
      const replication = String(await client.call('INFO', 'replication'));
      if (replication.includes('role:master')) masters++;
      else if (!replication.includes('master_link_status:up')) return false;
    }
    return masters === 3;
  } catch {
    return false;
  }
}

/** `count` ports whose bus ports (+10000) are free too, all <= 55535. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * (MAX_PORT - 10_000 - 20_000));
    if (ports.includes(port)) continue;
    try {
      await freePort(port);
      await freePort(port + 10_000);
      ports.push(port);
    } catch {
      // taken: draw another
    }
  }
  return ports;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', (error) =>
      reject(new Error(`cannot run ${command} (apt-get install -y redis-tools): ${error.message}`)),
    );
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${output}`)),
    );
  });
}
