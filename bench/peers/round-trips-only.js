/**
 * Counts store round trips again (`npm run bench:round-trips`) and re-renders the peer report
 * with them, keeping the throughput figures of the last full run in bench/results/peers.json.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { startRedisServer } from './redis.js';
import { writeReport } from './render.js';
import { countRoundTrips } from './round-trips.js';

const file = new URL('../results/peers.json', import.meta.url);
const data = JSON.parse(await readFile(file, 'utf8'));
const redis = await startRedisServer().catch(() => undefined);
try {
  data.roundTrips = await countRoundTrips({
    redisPort: redis?.port,
    log: (line) => process.stderr.write(`${line}\n`),
  });
} finally {
  await redis?.stop();
}
await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
await writeReport(data);
