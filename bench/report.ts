// The one table: what was measured, its ratio, the target of issue 12 beside it.

export interface Row {
  what: string;
  measured: string;
  ratio: string;
  /** the same ratio from CPU per request instead of requests/s (load rows only) */
  cpuRatio?: string;
  target: string;
  /** null: no target (shown for reading the others) */
  ok: boolean | null;
}

const mark = (ok: boolean | null) => (ok === null ? '' : ok ? '✓' : '✗');

export function markdownTable(rows: Row[]): string {
  const lines = ['| | measured | ratio | ratio by CPU | target | |', '|---|---|---|---|---|:-:|'];
  for (const r of rows) lines.push(`| ${r.what} | ${r.measured} | ${r.ratio} | ${r.cpuRatio ?? ''} | ${r.target} | ${mark(r.ok)} |`);
  return lines.join('\n');
}

/** The same table for a terminal: aligned columns. */
export function textTable(rows: Row[]): string {
  const cells = [
    ['', 'measured', 'ratio', 'by CPU', 'target', ''],
    ...rows.map((r) => [r.what, r.measured, r.ratio, r.cpuRatio ?? '', r.target, mark(r.ok)]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => [...c[i]!].length)));
  const line = (c: string[]) => c.map((v, i) => v + ' '.repeat(widths[i]! - [...v].length)).join('  ');
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const fmt = {
  rps: (n: number) => `${Math.round(n).toLocaleString('en-US')} req/s`,
  ms: (n: number) => (n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`),
  ratio: (n: number) => n.toFixed(2),
  kb: (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`,
  ns: (n: number) => (n < 10_000 ? `${Math.round(n)} ns` : `${(n / 1000).toFixed(1)} µs`),
};

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
