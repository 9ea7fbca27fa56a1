// The timeline as one HTML page: the picture, then every console line and
// runtime error (as many as the model kept) and, for a replay report, the
// divergent tick's outputs side by side. No script, nothing fetched.

import type { Timeline } from './timeline.ts';
import { timelineSvg } from './timeline-svg.ts';
import { BACKDROP, esc, FAULT, FONT, INK, MONO, MUTED } from './style.ts';

export function timelineHtml(t: Timeline): string {
  const rows = [
    ...t.lines.map((l) => ({ tick: l.tick, time: l.time, cls: l.level, s: `[${l.level}] ${l.text}` })),
    ...t.errors.map((e) => ({ tick: e.tick, time: e.time, cls: 'error', s: `error ${e.code}: ${e.text}` })),
  ].sort((a, b) => a.tick - b.tick);
  const d = t.divergence;
  const side = d
    ? `<h2 class="bad">First divergence at tick ${d.tick} (t=${d.time} ms), ${esc(d.what)}</h2>
<table class="side"><tr><th>expected (recorded)</th><th>actual (replayed)</th></tr>
${Array.from({ length: Math.max(d.expected.length, d.actual.length, 1) }, (_, i) => {
  const e = d.expected[i] ?? '(nothing)';
  const a = d.actual[i] ?? '(nothing)';
  return `<tr class="${e === a ? 'same' : 'differs'}"><td>${esc(e)}</td><td>${esc(a)}</td></tr>`;
}).join('\n')}
</table>`
    : '';
  const failure = t.failure ? `<h2 class="bad">Failed at tick ${t.failure.tick} (t=${t.failure.time} ms)</h2><pre class="bad">${esc(t.failure.message)}</pre>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(t.header.project)}: timeline</title>
<style>
body { margin: 0; padding: 12px 16px; background: ${BACKDROP}; color: ${INK}; font-family: ${FONT}; font-size: 13px; }
h2 { font-size: 15px; margin: 14px 0 6px; }
.bad { color: ${FAULT}; }
table { border-collapse: collapse; font-family: ${MONO}; font-size: 12px; }
td, th { padding: 2px 8px; text-align: left; vertical-align: top; border-bottom: 1px solid #e2e8f0; }
th { font-family: ${FONT}; }
.side td { width: 50%; word-break: break-all; }
.side tr.differs td { color: ${FAULT}; background: #fef2f2; }
.warning { color: #b45309; } .error { color: ${FAULT}; } .info { color: #1d4ed8; }
.muted { color: ${MUTED}; }
</style>
</head>
<body>
${timelineSvg(t)}
${side}
${failure}
<h2>Console lines and runtime errors</h2>
${rows.length ? `<table>\n${rows.map((r) => `<tr class="${r.cls}"><td>${r.tick}</td><td>${r.time} ms</td><td>${esc(r.s)}</td></tr>`).join('\n')}\n</table>` : '<p class="muted">none</p>'}
${t.linesLost ? `<p class="muted">… and ${t.linesLost} more, not kept</p>` : ''}
</body>
</html>
`;
}
