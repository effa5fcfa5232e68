/**
 * What both benchmarks read from their environment and the installed packages.
 */
import { readFileSync } from 'node:fs';

/** An environment variable, read by name (the benchmarks run outside turbo; turbo.json need not list these). */
export const envValue = (name) => process.env[name];

/** A positive number from the environment, or `fallback` when unset. */
export function positiveNumber(name, fallback) {
  const raw = envValue(name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

/** The installed version of a package at the repository root, for the report. */
export function packageVersion(name) {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
