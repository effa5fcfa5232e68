/**
 * Writes the peer benchmark's report (bench/results/peers.md, peers.svg) from its data and
 * prints the Markdown. `node bench/peers/render.js` redoes them from bench/results/peers.json
 * without measuring again.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderChart } from './chart.js';
import { renderReport } from './report.js';

const DIR = new URL('../results/', import.meta.url);

/** @param {{ env: object, settings: object, results: object, roundTrips: object, runSeconds: number }} data */
export async function writeReport(data) {
  const report = renderReport(data);
  process.stdout.write(report);
  await writeFile(new URL('peers.md', DIR), report);
  await writeFile(new URL('peers.svg', DIR), renderChart(data));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeReport(JSON.parse(await readFile(new URL('peers.json', DIR), 'utf8')));
}
