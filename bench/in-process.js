/**
 * In-process benchmark (tinybench): each variant's fetch handler called directly with a new
 * `Request` per iteration, no HTTP. Variants run in rotated order over several rounds; the
 * result per variant is the median of the mean times of the rounds not disturbed by other
 * processes.
 */
import { Bench } from 'tinybench';
import { checkResponse, cookieFrom } from './check.js';
import { startLoadSample, undisturbed } from './cpu-load.js';
import { FAKE_COOKIE_VALUE, VARIANTS } from './handlers.js';
import { median } from './stats.js';

const BASE_URL = 'http://localhost/';

/** Builds a variant and returns one iteration: a new Request, the handler, its response. */
async function prepare(name) {
  const variant = VARIANTS[name];
  const app = await variant.create();
  let cookie;
  if (variant.cookie === 'fake') cookie = `sid=${FAKE_COOKIE_VALUE}`;
  if (variant.cookie === 'session') cookie = cookieFrom(await app.seed(new Request(BASE_URL)));
  const init = cookie === undefined ? undefined : { headers: { cookie } };
  const iteration = () => app.fetch(new Request(BASE_URL, init));
  await checkResponse(name, variant, await iteration());
  return iteration;
}

/**
 * @param {{ rounds: number, time: number, log: (line: string) => void }} options
 * @returns {Promise<{ variants: Record<string, { meanUs: number, opsPerSec: number,
 *   roundsUs: number[] }>, otherLoad: number, roundLoads: number[] }>}
 */
export async function runInProcess({ rounds, time, log }) {
  const names = Object.keys(VARIANTS);
  const iterations = {};
  for (const name of names) iterations[name] = await prepare(name);

  const roundResults = [];
  for (let round = 0; round < rounds; round++) {
    const stopSample = await startLoadSample();
    const bench = new Bench({ time, warmupTime: Math.min(250, time), throws: true });
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      const iteration = iterations[name];
      bench.add(name, async () => {
        await iteration();
      });
    }
    await bench.run();
    const { otherLoad } = await stopSample();
    const meansUs = {};
    for (const task of bench.tasks) meansUs[task.name] = task.result.latency.mean * 1000;
    roundResults.push({ meansUs, otherLoad });
    log(`in-process round ${round + 1}/${rounds}: ${Math.round(otherLoad * 100)}% other load`);
  }

  // Rounds disturbed by other processes are left out when undisturbed ones exist.
  const used = undisturbed(roundResults);
  const variants = {};
  for (const name of names) {
    const meanUs = median(used.map((round) => round.meansUs[name]));
    const roundsUs = roundResults.map((round) => round.meansUs[name]);
    variants[name] = { meanUs, opsPerSec: 1e6 / meanUs, roundsUs };
  }
  const otherLoad = Math.max(...used.map((round) => round.otherLoad));
  return { variants, otherLoad, roundLoads: roundResults.map((round) => round.otherLoad) };
}
