// One HTML page with every scope of a diagram: a contents line, each scope's
// picture inline (hover a node for its type and problems), no script, no
// network. Same diagram, same bytes.

import type { Diagram } from './diagram.ts';
import type { PlacedScope } from './layout.ts';
import { diagramSvg } from './graph-svg.ts';
import { BACKDROP, esc, FAULT, FONT, INK, MUTED } from './style.ts';

export function diagramHtml(d: Diagram, placed: PlacedScope[]): string {
  const anchor = (label: string) => 'scope-' + label.replace(/[^A-Za-z0-9_-]/g, '_');
  const contents = placed
    .map((p) => {
      const problems = p.scope.notes.length + p.nodes.reduce((n, x) => n + x.faults.length, 0);
      return `<a href="#${esc(anchor(p.scope.label))}">${esc(p.scope.label)}</a>${problems ? ` <span class="bad">(${problems})</span>` : ''}`;
    })
    .join(' · ');
  const sections = placed
    .map((p, i) => `<section id="${esc(anchor(p.scope.label))}">\n${diagramSvg({ ...d, notes: [] }, [p], { idPrefix: `pw${i}`, untitled: true })}</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(d.title)}: graph</title>
<style>
body { margin: 0; padding: 16px 20px; background: ${BACKDROP}; color: ${INK}; font-family: ${FONT}; font-size: 13px; }
h1 { font-size: 18px; margin: 0 0 4px; }
.sub { color: ${MUTED}; margin-bottom: 8px; }
.bad { color: ${FAULT}; }
nav { margin: 8px 0 12px; }
nav a { color: ${INK}; }
section { margin-bottom: 12px; overflow-x: auto; }
svg .node:hover .box { stroke-width: 3; }
</style>
</head>
<body>
<h1>${esc(d.title)}</h1>
<div class="sub">${esc([d.source, ...d.caveats].join(' · '))}</div>
${d.notes.map((n) => `<div class="bad">⚠ ${esc(n)}</div>`).join('\n')}
<nav>${contents}</nav>
${sections}
</body>
</html>
`;
}
