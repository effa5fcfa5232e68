/**
 * The demo on Bun, sessions in memory: `npm run start:bun` (runs the build, dist/bun.js), or
 * `bun src/bun.ts` straight from the sources. Same configuration as the Node entry: `PORT`,
 * `HOST`, `SESSION_SECRET`, `NODE_ENV`, `DEMO_DEBUG_ROUTES`.
 */
import { createMemoryDemoApp } from './memory-app.js';

// The one Bun API used here, declared locally so the build needs no Bun type package.
declare const Bun: {
  serve(options: {
    port: number;
    hostname: string;
    fetch(request: Request, server: BunServer): Response | Promise<Response>;
  }): { readonly port: number };
};
interface BunServer {
  requestIP(request: Request): { address: string } | null;
}

const app = createMemoryDemoApp({
  secret: process.env.SESSION_SECRET,
  production: process.env.NODE_ENV === 'production',
  debugRoutes: process.env.DEMO_DEBUG_ROUTES,
});
const server = Bun.serve({
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? 'localhost',
  fetch: (request, bunServer) =>
    app.fetch(request, { clientAddress: bunServer.requestIP(request)?.address }),
});
console.log(`[demo] listening on http://localhost:${server.port} (Bun, sessions in memory)`);
