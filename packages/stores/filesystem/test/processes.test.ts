import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fileStore } from '@fetch-session/filesystem';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'fetch-session-fs-proc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const meta = { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: false };
const later = (): number => Date.now() + 3_600_000;
let count = 0;
const freshDirectory = (): string => mkdtempSync(join(root, `case-${++count}-`));

describe('filesystem store across processes', () => {
  it('keeps every patch when two processes commit to the same session at once', async () => {
    const directory = freshDirectory();
    const store = fileStore({ directory });
    await store.write(
      'sess:shared',
      { meta, set: {}, delete: [] },
      { mode: 'create', expiresAt: later() },
    );
    const perProcess = 150;
    await Promise.all([
      run(process.execPath, [
        worker,
        directory,
        'patch-fields',
        'sess:shared',
        'd:a',
        String(perProcess),
      ]),
      run(process.execPath, [
        worker,
        directory,
        'patch-fields',
        'sess:shared',
        'd:b',
        String(perProcess),
      ]),
    ]);
    const record = await store.load('sess:shared');
    const fields = Object.keys(record?.fields ?? {});
    expect(fields.filter((field) => field.startsWith('d:a'))).toHaveLength(perProcess);
    expect(fields.filter((field) => field.startsWith('d:b'))).toHaveLength(perProcess);
  });

  it('survives a process killed mid-write: the record is whole, the leftovers are ignored, then swept', async () => {
    const directory = freshDirectory();
    const store = fileStore({ directory, staleLockMs: 300 });
    await store.write(
      'sess:crash',
      { meta, set: {}, delete: [] },
      { mode: 'create', expiresAt: later() },
    );
    const child = spawn(process.execPath, [worker, directory, 'write-forever', 'sess:crash']);
    const acknowledged = await acknowledgedWrites(child, 200);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // A crash between the temp file and the rename, made certain by leaving one by hand too.
    const sessions = join(directory, 'sessions');
    const [recordFile] = readdirSync(sessions).filter((name) => name.endsWith('.json'));
    const leftover = join(sessions, `${recordFile}.0123456789ab.tmp`);
    writeFileSync(leftover, '{"v":1,"key":"sess:crash","meta":{"createdAt":1,');

    const record = await store.load('sess:crash');
    const n = Number(record?.fields['d:n']);
    // The file holds the last acknowledged write or the one in flight, never a torn mix.
    expect(n).toBeGreaterThanOrEqual(acknowledged);
    expect(record?.fields['d:pad']).toHaveLength(2000 + n);

    // The killed process may have died holding the lock: it is taken over once stale.
    const outcome = await store.write(
      'sess:crash',
      { meta, set: { 'd:after': 'yes' }, delete: [] },
      { mode: 'update', expiresAt: later() },
    );
    expect(outcome).toBe('ok');

    // Temp files younger than a minute may belong to a live writer: kept. Older ones go.
    const temps = (): string[] => readdirSync(sessions).filter((name) => name.endsWith('.tmp'));
    expect(temps().length).toBeGreaterThan(0);
    expect((await store.sweep()).tempFiles).toBe(0);
    const old = new Date(Date.now() - 120_000);
    for (const name of temps()) utimesSync(join(sessions, name), old, old);
    const removed = temps().length;
    expect((await store.sweep()).tempFiles).toBe(removed);
    expect(temps()).toEqual([]);
    expect((await store.load('sess:crash'))?.fields['d:after']).toBe('yes');
  });

  it('reads a truncated or foreign file as absent, reports it by file name only, and sweeps it', async () => {
    const directory = freshDirectory();
    const corrupt: string[] = [];
    const store = fileStore({ directory, onCorruptFile: ({ file }) => corrupt.push(file) });
    await store.write(
      'sess:bad',
      { meta, set: { 'd:secret': '"payload-123"' }, delete: [] },
      {
        mode: 'create',
        expiresAt: later(),
      },
    );
    const sessions = join(directory, 'sessions');
    const [file] = readdirSync(sessions);
    const path = join(sessions, file as string);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
    expect(await store.load('sess:bad')).toBeUndefined();
    expect(corrupt).toEqual([file]);
    expect(corrupt.join()).not.toContain('payload-123');
    expect((await store.sweep()).sessions).toBe(1);
    expect(readdirSync(sessions)).toEqual([]);
  });
});

function acknowledgedWrites(child: ChildProcess, atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let last = -1;
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) last = Number(line);
      if (last >= atLeast) resolve(last);
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}
