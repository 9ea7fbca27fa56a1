// Plain-text tables for the terminal and for docs/PERFORMANCE.md (the same
// text, so the doc can hold the table of one run verbatim).

export type Cell = string | number | undefined;

/** Formats a number with `digits` significant decimals; n/a for a missing or non-finite one. */
export function num(x: number | undefined, digits = 1): string {
  if (x === undefined || !Number.isFinite(x)) return 'n/a';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const int = (x: number | undefined): string => num(x, 0);
export const ratio = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(2)}×`);

export function table(title: string, head: string[], rows: Cell[][]): string {
  const cells = [head, ...rows.map((r) => r.map((c) => (c === undefined ? '' : String(c))))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    '| ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [`### ${title}`, '', line(cells[0]), rule, ...cells.slice(1).map(line), ''].join('\n');
}
