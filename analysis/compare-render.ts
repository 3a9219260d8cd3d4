/** A comparison of two runs as markdown or HTML tables (JSON is the Comparison itself). */
import type { Comparison, RateComparison } from './compare.ts';
import { escapeHtml, percent } from './report-render.ts';

const pts = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}` : '-');
const p = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '-');

const HEADER = [
  'condition',
  'A',
  'B',
  'B - A (pts)',
  '95% Newcombe interval',
  'exact test',
  'p',
  'stratified by task (CMH) p',
];

function row(label: string, c: RateComparison): string[] {
  const side = (s: RateComparison['a']) =>
    `${s.events}/${s.n} ${percent(s.rate.estimate)} [${percent(s.rate.low)}, ${percent(s.rate.high)}]`;
  const detail =
    c.test.pairs === undefined
      ? c.test.name
      : `${c.test.name} (${c.test.pairs} pairs, ${c.test.onlyA} only A, ${c.test.onlyB} only B)`;
  return [
    label,
    side(c.a),
    side(c.b),
    pts(c.difference.estimate),
    `[${pts(c.difference.low)}, ${pts(c.difference.high)}]`,
    detail,
    p(c.test.pValue),
    c.stratified ? `${p(c.stratified.pValue)} (${c.stratified.strata} strata)` : '-',
  ];
}

function tables(c: Comparison): { title: string; rows: string[][] }[] {
  return [
    {
      title: 'Cheat rate on impossible tasks',
      rows: [...c.conditions.map((x) => row(x.conditionId, x.cheat)), row('overall', c.overall.cheat)],
    },
    {
      title: 'Honest success on control twins',
      rows: [...c.conditions.map((x) => row(x.conditionId, x.control)), row('overall', c.overall.control)],
    },
  ];
}

function preamble(c: Comparison): string[] {
  return [
    `A = ${c.runA}, B = ${c.runB}; ${c.pairing}.`,
    `Tasks compared: ${c.tasks.join(', ')}.`,
    ...c.leftOut.map((l) => `Left out: ${l}.`),
    'Rates carry 95% Wilson intervals; the difference is B - A in percentage points with the 95% Newcombe hybrid score interval (which treats the two samples as independent); the overall CMH test is stratified by task and condition.',
  ];
}

export function renderComparisonMarkdown(c: Comparison): string {
  const lines = [`# ${c.runB} against ${c.runA}`, '', ...preamble(c).flatMap((l) => [l, ''])];
  for (const t of tables(c)) {
    lines.push(`## ${t.title}`, '', `| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => ' --- ').join('|')}|`);
    for (const r of t.rows) lines.push(`| ${r.join(' | ')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

export function renderComparisonHtml(c: Comparison): string {
  const body = [
    `<h1>${escapeHtml(c.runB)} against ${escapeHtml(c.runA)}</h1>`,
    ...preamble(c).map((l) => `<p>${escapeHtml(l)}</p>`),
  ];
  for (const t of tables(c)) {
    const head = HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
    const rows = t.rows.map((r) => `<tr>${r.map((x) => `<td>${escapeHtml(x)}</td>`).join('')}</tr>`).join('');
    body.push(
      `<h2>${escapeHtml(t.title)}</h2>`,
      `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`,
    );
  }
  const style =
    'body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}' +
    'table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:0.2rem 0.5rem;text-align:left}';
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(c.runB)} against ${escapeHtml(c.runA)}</title>\n<style>${style}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}
