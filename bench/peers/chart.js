/**
 * The peer benchmark's chart: plain SVG, one group of horizontal bars (requests/s, median)
 * per route, on one scale, with bare Hono and the matching floor drawn as grey references.
 */
import { summarize } from './measure.js';
import { ROUTE_LABELS, SERVERS } from './servers.js';

const COLORS = {
  ours: '#1d4ed8',
  adapter: '#60a5fa',
  peer: '#ea580c',
  baseline: '#9ca3af',
  floor: '#9ca3af',
};
const WIDTH = 980;
const LABEL_WIDTH = 470;
const BAR_AREA = 400;
const ROW = 18;
const BAR = 13;
const GROUP_GAP = 34;
const TOP = 58;

const xmlText = (text) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('`', '');

/** Bars of one route: references first, then every server measured on it. */
function groupBars(results, route) {
  const bar = (name, measuredRoute, label) => {
    const entry = results[name]?.[measuredRoute];
    if (entry === undefined) return [];
    const { requestsPerSec, clean } = summarize(entry.runs);
    return [{ label, kind: SERVERS[name].kind, value: requestsPerSec, clean }];
  };
  const references =
    route === '/bare'
      ? []
      : [
          ...bar('hono', '/bare', 'reference: Hono, no sessions, /bare'),
          ...bar('hono-vary', '/read', 'reference: floor, Hono with Vary: Cookie'),
        ];
  const servers = Object.entries(SERVERS)
    .filter(([name]) => route === '/bare' || name !== 'hono-vary')
    .flatMap(([name, server]) => bar(name, route, server.label));
  return [...references, ...servers];
}

/** @returns {string} an SVG document */
export function renderChart({ env, results }) {
  const groups = ['/read', '/counter', 'new', '/bare']
    .map((route) => ({ route, bars: groupBars(results, route) }))
    .filter((group) => group.bars.length > 0);
  const max = Math.max(1, ...groups.flatMap((group) => group.bars.map((bar) => bar.value)));
  const parts = [];
  let y = TOP;
  for (const group of groups) {
    parts.push(
      `<text x="10" y="${y}" class="group">${xmlText(ROUTE_LABELS[group.route])} (requests/s)</text>`,
    );
    y += 10;
    for (const bar of group.bars) {
      const width = Math.max(1, (bar.value / max) * BAR_AREA);
      const label = xmlText(bar.label);
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + BAR - 3}" class="label">${label}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" fill="${COLORS[bar.kind]}"/>`,
        `<text x="${(LABEL_WIDTH + width + 5).toFixed(1)}" y="${y + BAR - 3}" class="value">${Math.round(bar.value).toLocaleString('en-US')}${bar.clean ? '' : ' †'}</text>`,
      );
      y += ROW;
    }
    y += GROUP_GAP - ROW + 14;
  }
  const height = y + 10;
  const legend = [
    ['ours (@fetch-session/hono)', COLORS.ours],
    ['ours on Express / node:http', COLORS.adapter],
    ['other libraries', COLORS.peer],
    ['no sessions / floors', COLORS.baseline],
    ['† disturbed rounds only', '#ffffff'],
  ]
    .map(
      ([text, color], i) =>
        `<rect x="${10 + i * 195}" y="30" width="12" height="12" fill="${color}"/><text x="${28 + i * 195}" y="40" class="legend">${xmlText(text)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>
.title { font-size: 15px; font-weight: 600; }
.group { font-size: 13px; font-weight: 600; }
.label { font-size: 11px; text-anchor: end; }
.value { font-size: 11px; }
.legend { font-size: 11px; }
.note { font-size: 11px; text-anchor: end; fill: #4b5563; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="20" class="title">Requests/s over HTTP, median (higher is better)</text>
<text x="${WIDTH - 10}" y="20" class="note">${xmlText(env.cpu)}, ${env.cores} cores, Node ${env.node}, ${env.date.slice(0, 10)}</text>
${legend}
${parts.join('\n')}
</svg>
`;
}
