/**
 * HMAC-SHA256 on each runtime: Web Crypto against a pre-keyed `@noble/hashes` HMAC (and
 * `node:crypto` where it exists, for reference), timed per operation. Decision 0010 records
 * the figures and the choice they led to.
 *
 *   node bench/crypto/hmac.js            # Node, Bun, Deno and workerd (Miniflare), ~1-2 min
 *   node bench/crypto/hmac.js --child    # this runtime only, JSON on stdout (used for Bun/Deno)
 *
 * Cases run in rotated order over several rounds; each figure is the median of the rounds.
 * Ratios compare cases measured in the same run on the same runtime. Nothing is asserted.
 */
import { RATIOS } from './hmac-cases.js';

const ROUNDS = 5;
/** Target duration of one timed batch, in milliseconds. */
const BATCH_MS = 150;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Times every case on this runtime. `timeBatch(name, n)` returns `{ wallMs, cpuMs }` for `n`
 * operations (`cpuMs` may be undefined). Returns µs per operation, median over the rounds.
 */
async function measureCases(names, timeBatch, log) {
  const sizes = {};
  for (const name of names) {
    await timeBatch(name, 200); // warm-up (JIT, key import)
    const { wallMs } = await timeBatch(name, 200);
    sizes[name] = Math.max(100, Math.ceil((BATCH_MS / Math.max(wallMs, 0.01)) * 200));
  }
  const rounds = Object.fromEntries(names.map((name) => [name, { wall: [], cpu: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      const n = sizes[name];
      const { wallMs, cpuMs } = await timeBatch(name, n);
      rounds[name].wall.push((wallMs * 1000) / n);
      if (cpuMs !== undefined) rounds[name].cpu.push((cpuMs * 1000) / n);
    }
    log(`round ${round + 1}/${ROUNDS}`);
  }
  const result = {};
  for (const name of names) {
    const { wall, cpu } = rounds[name];
    result[name] = { wallUs: median(wall), cpuUs: cpu.length > 0 ? median(cpu) : undefined };
  }
  return result;
}

/** This runtime, in this process: Node, Bun or Deno. */
async function measureHere(log) {
  const { createHmacCases } = await import('./hmac-cases.js');
  const cases = await createHmacCases();
  // node:crypto exists on all three; a reference point only, the core cannot import it.
  const { createHmac } = await import('node:crypto');
  const message = new TextEncoder().encode('fetch-session/session-id/v1\u0000'.padEnd(71, 'x'));
  cases['node:crypto sign (reference)'] = async (n) => {
    for (let i = 0; i < n; i++)
      createHmac('sha256', 'a-secret-of-32-bytes-or-more-0123456789').update(message).digest();
  };
  delete cases.empty;
  const cpuMsNow = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  return measureCases(
    Object.keys(cases),
    async (name, n) => {
      const cpu0 = cpuMsNow();
      const t0 = performance.now();
      await cases[name](n);
      return { wallMs: performance.now() - t0, cpuMs: cpuMsNow() - cpu0 };
    },
    log,
  );
}

/** workerd through Miniflare: batches run inside the isolate, timed from outside. */
async function measureWorkerd(log) {
  const { build } = await import('esbuild');
  const { Miniflare } = await import('miniflare');
  const { processCpuMs } = await import('../cpu-load.js');
  const { readdirSync, readFileSync } = await import('node:fs');
  const bundle = await build({
    stdin: {
      contents: `import { createHmacCases } from './hmac-cases.js';
let cases;
export default {
  async fetch(request) {
    cases ??= await createHmacCases();
    const url = new URL(request.url);
    await cases[url.searchParams.get('case')](Number(url.searchParams.get('n')));
    return new Response('ok');
  },
};`,
      resolveDir: new URL('.', import.meta.url).pathname,
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0].text,
    compatibilityDate: '2026-04-01',
  });
  try {
    await mf.ready;
    // The workerd process Miniflare started (a child of this process), for its CPU time.
    const workerdPids = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          return ppid === process.pid && stat.includes('(workerd)');
        } catch {
          return false;
        }
      });
    const cpuMsNow = () => workerdPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
    const request = async (name, n) => {
      const response = await mf.dispatchFetch(
        `http://bench.test/?case=${encodeURIComponent(name)}&n=${n}`,
      );
      if ((await response.text()) !== 'ok') throw new Error(`workerd: ${name} failed`);
    };
    const timeBatch = async (name, n) => {
      const cpu0 = cpuMsNow();
      const t0 = performance.now();
      await request(name, n);
      const wallMs = performance.now() - t0;
      return { wallMs, cpuMs: workerdPids.length > 0 ? cpuMsNow() - cpu0 : undefined };
    };
    // The cost of one request itself, subtracted from every batch below.
    for (let i = 0; i < 20; i++) await timeBatch('empty', 1);
    const overhead = [];
    for (let i = 0; i < 30; i++) overhead.push((await timeBatch('empty', 1)).wallMs);
    const requestMs = median(overhead);
    const { createHmacCases } = await import('./hmac-cases.js');
    const names = Object.keys(await createHmacCases()).filter((name) => name !== 'empty');
    const result = await measureCases(
      names,
      async (name, n) => {
        const { wallMs, cpuMs } = await timeBatch(name, n);
        // /proc CPU time has a 10 ms resolution: a batch is sized to ~150 ms of work.
        return { wallMs: Math.max(0, wallMs - requestMs), cpuMs };
      },
      log,
    );
    return { result, note: `request overhead ${requestMs.toFixed(2)} ms subtracted` };
  } finally {
    await mf.dispose();
  }
}

async function runChild(command, args, env) {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

const fmt = (us) => (us === undefined ? '-' : us < 10 ? us.toFixed(2) : us.toFixed(1));

function report(runtimes) {
  const names = [...new Set(Object.values(runtimes).flatMap(({ result }) => Object.keys(result)))];
  const labels = Object.keys(runtimes);
  const lines = [
    '# HMAC-SHA256: Web Crypto against pre-keyed @noble/hashes, per runtime',
    '',
    `Generated by \`node bench/crypto/hmac.js\` on ${new Date().toISOString()} (${ROUNDS} rounds, median).`,
    'Wall time per operation in µs, process CPU time per operation in brackets (all threads;',
    'workerd: the workerd process, 10 ms /proc resolution per batch).',
    '',
    `| Operation | ${labels.join(' | ')} |`,
    `| --- | ${labels.map(() => '---:').join(' | ')} |`,
  ];
  for (const name of names) {
    const cells = labels.map((label) => {
      const row = runtimes[label].result[name];
      return row === undefined ? '-' : `${fmt(row.wallUs)} (${fmt(row.cpuUs)})`;
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  lines.push('', 'Web Crypto time / noble time (wall; above 1 means noble is faster):', '');
  lines.push(
    `| Ratio | ${labels.join(' | ')} |`,
    `| --- | ${labels.map(() => '---:').join(' | ')} |`,
  );
  for (const [label, web, noble] of RATIOS) {
    const cells = labels.map((runtime) => {
      const { result } = runtimes[runtime];
      return `${(result[web].wallUs / result[noble].wallUs).toFixed(1)}x`;
    });
    lines.push(`| ${label} | ${cells.join(' | ')} |`);
  }
  const notes = labels
    .filter((label) => runtimes[label].note)
    .map((l) => `- ${l}: ${runtimes[l].note}`);
  if (notes.length > 0) lines.push('', ...notes);
  return `${lines.join('\n')}\n`;
}

const isChild = (globalThis.Deno?.args ?? process.argv).includes('--child');
if (isChild) {
  const result = await measureHere(() => {});
  process.stdout.write(JSON.stringify(result));
} else {
  const { writeFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const log = (line) => process.stderr.write(`${line}\n`);
  const file = fileURLToPath(import.meta.url);
  const bin = (name) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
  const runtimes = {};
  log(`node ${process.version}`);
  runtimes[`Node ${process.version}`] = { result: await measureHere((l) => log(`node ${l}`)) };
  log('bun');
  const bunVersion = (await import('node:child_process'))
    .execFileSync(bin('bun'), ['--version'])
    .toString()
    .trim();
  runtimes[`Bun ${bunVersion}`] = { result: await runChild(bin('bun'), [file, '--child']) };
  log('deno');
  const denoVersion = (await import('node:child_process'))
    .execFileSync(bin('deno'), ['--version'], {
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
    })
    .toString()
    .split(' ')[1];
  runtimes[`Deno ${denoVersion}`] = {
    result: await runChild(bin('deno'), ['run', '-A', file, '--child'], {
      DENO_NO_UPDATE_CHECK: '1',
    }),
  };
  log('workerd');
  const workerd = await measureWorkerd((l) => log(`workerd ${l}`));
  runtimes['workerd (Miniflare 4)'] = workerd;
  const markdown = report(runtimes);
  writeFileSync(new URL('../results/hmac.md', import.meta.url), markdown);
  process.stdout.write(markdown);
}
