import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The multi-process tests run the built store in child processes: build it (and core) first. */
export default function setup(): void {
  const tsc = fileURLToPath(new URL('../../../../node_modules/.bin/tsc', import.meta.url));
  execFileSync(tsc, ['-b'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
}
