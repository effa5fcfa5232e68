/**
 * Markdown helpers both benchmark reports use.
 */
import { BUSY } from './cpu-load.js';

/** A whole number with thousands separators. */
export const int = (value) => Math.round(value).toLocaleString('en-US');
export const percent = (share) => `${Math.round(share * 100)}%`;
/** A round's value, struck through when other processes disturbed it (such rounds are left out). */
export const roundValue = (text, otherLoad) =>
  otherLoad > BUSY ? `~~${text}~~ (${percent(otherLoad)} busy)` : text;

export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
