/**
 * The demo on Deno, sessions in memory: `npm run start:deno` (runs the build, dist/deno.js,
 * with the packages from node_modules and no network access). Same configuration as the Node
 * entry: `PORT`, `HOST`, `SESSION_SECRET`, `NODE_ENV`, `DEMO_DEBUG_ROUTES`.
 */
import { createMemoryDemoApp } from './memory-app.js';

// The Deno APIs used here, declared locally so the build needs no Deno types.
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: {
      port: number;
      hostname: string;
      onListen(address: { hostname: string; port: number }): void;
    },
    handler: (
      request: Request,
      info: { remoteAddr: { hostname: string } },
    ) => Response | Promise<Response>,
  ): unknown;
};

const app = createMemoryDemoApp({
  secret: Deno.env.get('SESSION_SECRET'),
  production: Deno.env.get('NODE_ENV') === 'production',
  debugRoutes: Deno.env.get('DEMO_DEBUG_ROUTES'),
});
Deno.serve(
  {
    port: Number(Deno.env.get('PORT') ?? 3000),
    hostname: Deno.env.get('HOST') ?? 'localhost',
    onListen: ({ port }) => {
      console.log(`[demo] listening on http://localhost:${port} (Deno, sessions in memory)`);
    },
  },
  (request, info) => app.fetch(request, { clientAddress: info.remoteAddr.hostname }),
);
