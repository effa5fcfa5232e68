// `npm run dev:worker`: the demo's Worker (src/worker.ts) in a local workerd through Miniflare,
// with a KV namespace bound as SESSIONS, rebuilt and reloaded when a source changes.
//
//   PORT (default 8787), HOST (default localhost), SESSION_SECRET (default: a random one per
//   reload, with a warning), ENVIRONMENT (default development; `production` requires the
//   secret), DEMO_DEBUG_ROUTES (`1` mounts /debug/session), SESSION_STORE (`durable-objects`
//   puts the sessions in Durable Objects instead of KV). `--persist[=dir]` keeps the KV data
//   in dir (default .wrangler/state/kv) across restarts; otherwise it lives in memory.
import { randomBytes } from 'node:crypto';
import { context } from 'esbuild';
import { Miniflare } from 'miniflare';
import { workerBuildOptions, workerOptions } from './worker.mjs';

const persistArg = process.argv.slice(2).find((arg) => /^--persist(=|$)/.test(arg));
const kvPersist =
  persistArg === undefined ? undefined : persistArg.split('=')[1] || '.wrangler/state/kv';

const storeChoice = process.env.SESSION_STORE === 'durable-objects' ? 'durable-objects' : 'kv';

/** @type {Record<string, string>} */
const bindings = { ENVIRONMENT: process.env.ENVIRONMENT ?? 'development' };
if (process.env.DEMO_DEBUG_ROUTES) bindings.DEMO_DEBUG_ROUTES = process.env.DEMO_DEBUG_ROUTES;
if (process.env.SESSION_SECRET) {
  bindings.SESSION_SECRET = process.env.SESSION_SECRET;
} else if (bindings.ENVIRONMENT !== 'production') {
  // One secret for this dev server, so sessions survive reloads (not restarts). In production
  // the Worker itself refuses to run without SESSION_SECRET.
  bindings.SESSION_SECRET = randomBytes(32).toString('hex');
  console.warn(
    '[demo] SESSION_SECRET is not set: using a random secret, so sessions end when dev:worker restarts.',
  );
}

/** @param {string} script */
const options = (script) => ({
  ...workerOptions(script, bindings, { store: storeChoice }),
  ...(kvPersist === undefined ? {} : { kvPersist }),
  host: process.env.HOST ?? 'localhost',
  port: Number(process.env.PORT ?? 8787),
});

/** @type {Miniflare | undefined} */
let mf;
let loaded = '';
/** @type {ReturnType<typeof setTimeout> | undefined} */
let pending;
let reloads = Promise.resolve();

/** Loads a rebuilt Worker, once the burst of file events of one save has settled. */
function reload(/** @type {string} */ script) {
  clearTimeout(pending);
  pending = setTimeout(() => {
    reloads = reloads.then(async () => {
      if (script === loaded || mf === undefined) return;
      loaded = script;
      try {
        await mf.setOptions(options(script));
        console.log('[demo] reloaded the Worker');
      } catch (error) {
        console.error('[demo] reload failed:', error);
      }
    });
  }, 200);
}

const builder = await context({
  ...workerBuildOptions,
  logLevel: 'warning',
  plugins: [
    {
      name: 'reload-miniflare',
      setup(build) {
        build.onEnd((result) => {
          const script = result.outputFiles?.[0]?.text;
          if (result.errors.length === 0 && script !== undefined) reload(script);
        });
      },
    },
  ],
});

const first = await builder.rebuild();
const script = first.outputFiles?.[0]?.text;
if (script === undefined) throw new Error('esbuild produced no output');
loaded = script;
mf = new Miniflare(options(script));
const url = await mf.ready;
await builder.watch();
console.log(
  `[demo] listening on http://localhost:${url.port} (workerd, sessions in ${storeChoice === 'kv' ? 'KV' : 'Durable Objects'}${kvPersist === undefined ? ', in memory' : ` persisted in ${kvPersist}`})`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(pending);
    await reloads;
    await builder.dispose();
    await mf?.dispose();
    process.exit(0);
  });
}
