import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../../', import.meta.url));

interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
}

// The conformance suite on bun:sqlite: vitest itself runs under Bun (`bun --bun`), on the
// files in test/bun/; this test starts it and reads its JSON report.
it('passes the conformance suite under Bun on bun:sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fetch-session-bun-'));
  const report = join(dir, 'report.json');
  try {
    await run(
      join(root, 'node_modules/.bin/bun'),
      [
        '--bun',
        join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        fileURLToPath(new URL('./bun/vitest.config.ts', import.meta.url)),
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      { timeout: 90_000 },
    ).catch((error: unknown) => error); // failures are in the report
    const result = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    const titles = result.testResults.flatMap((file) =>
      file.assertionResults.filter((test) => test.status === 'passed').map((test) => test.title),
    );
    expect(result.numFailedTests).toBe(0);
    expect(titles).toContain('runs under Bun, on bun:sqlite');
    expect(titles).toContain(
      'applies 200 concurrent patches of different fields atomically: every one survives',
    );
    // Every test ran and passed (the store has touch and a user index: nothing is skipped).
    expect(result.numPassedTests).toBe(result.numTotalTests);
    // The shared suite grows with the core (H2, H7 ...): it must have run, whole, under Bun.
    expect(result.numTotalTests).toBeGreaterThanOrEqual(28);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
