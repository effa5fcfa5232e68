import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// A full disk and a read-only directory, for real: a small tmpfs mounted in a private mount
// namespace (`unshare -rm`, no privileges needed where user namespaces are allowed).
const run = promisify(execFile);
const worker = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'fetch-session-fs-disk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const canMount = ((): boolean => {
  try {
    execFileSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs "${root}"`]);
    return true;
  } catch {
    return false;
  }
})();
const reason = 'unshare -rm cannot mount a tmpfs on this machine (user namespaces disabled)';

/** Runs a shell script in a private mount namespace with a 200 KB tmpfs at $DIR. */
async function inSmallDisk(script: string): Promise<string[]> {
  const directory = mkdtempSync(join(root, 'disk-'));
  const { stdout } = await run('unshare', [
    '-rm',
    'sh',
    '-ec',
    `DIR="$1"; NODE="$2"; W="$3"; mount -t tmpfs -o size=200k tmpfs "$DIR"; ${script}`,
    'sh',
    directory,
    process.execPath,
    worker,
  ]);
  return stdout.trim().split('\n');
}

describe.skipIf(!canMount)(
  `filesystem store on a failing disk${canMount ? '' : ` (skipped: ${reason})`}`,
  () => {
    it('a full disk gives 503 for the write that does not fit, and earlier sessions stay whole', async () => {
      const [first, filling, again] = await inSmallDisk(
        [
          '"$NODE" "$W" "$DIR" serve "" 1 > /tmp/fs-first.$$',
          'cat /tmp/fs-first.$$',
          "COOKIE=$(\"$NODE\" -e \"process.stdout.write(JSON.parse(require('fs').readFileSync('/tmp/fs-first.$$','utf8')).firstCookie)\")",
          'rm /tmp/fs-first.$$',
          '"$NODE" "$W" "$DIR" serve "" 200',
          '"$NODE" "$W" "$DIR" serve "$COOKIE" 1',
        ].join('\n'),
      );
      expect(JSON.parse(first as string).statuses).toEqual(['200:4096']);
      const statuses: string[] = JSON.parse(filling as string).statuses;
      expect(statuses.at(-1)).toBe('503:Service Unavailable');
      expect(statuses.slice(0, -1).every((status) => status === '200:4096')).toBe(true);
      expect(statuses.length).toBeGreaterThan(3);
      // The session written before the disk filled up still loads, whole.
      expect(JSON.parse(again as string).statuses).toEqual(['200:4096']);
    });

    it('a directory made read-only while serving gives 503 on write while reads go on', async () => {
      const lines = await inSmallDisk(
        [
          'mkfifo "$DIR.go"',
          '"$NODE" "$W" "$DIR" readonly-later x < "$DIR.go" > "$DIR.out" &',
          'exec 3> "$DIR.go"',
          'until grep -q ready "$DIR.out" 2>/dev/null; do sleep 0.05; done',
          'mount -o remount,ro "$DIR"',
          'echo go >&3; exec 3>&-',
          'wait',
          'tail -n 1 "$DIR.out"',
        ].join('\n'),
      );
      expect(JSON.parse(lines.at(-1) as string).statuses).toEqual([200, 503, 200]);
    });

    it('a read-only directory at startup is a SessionConfigError naming `directory`', async () => {
      const lines = await inSmallDisk(
        [
          'mount -o remount,ro "$DIR"',
          '"$NODE" -e "import(process.argv[1]).then((m) => { try { m.fileStore({ directory: process.argv[2] }); } catch (e) { console.log(JSON.stringify({ code: e.code, option: e.option })); } })" "$(dirname "$W")/../../dist/index.js" "$DIR"',
        ].join('\n'),
      );
      expect(JSON.parse(lines.at(-1) as string)).toEqual({
        code: 'ERR_SESSION_CONFIG',
        option: 'directory',
      });
    });
  },
);
