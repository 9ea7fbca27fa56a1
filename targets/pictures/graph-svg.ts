// Draws laid-out scopes as SVG: one frame per scope, stacked, with the
// problems found listed under each and a legend at the bottom. Every node is
// a <g class="node" data-node="Scope/id">, every link a <path class="link">
// with data-from and data-to, so tests and the inspector page can find them.
// Numbers are rounded and nothing depends on the clock: the same diagram
// gives the same bytes.

import type { Diagram, DLink } from './diagram.ts';
import { headerLines, METRICS, pinLabel, type PlacedNode, type PlacedPin, type PlacedScope, type Point } from './layout.ts';
import { PULSE } from '../../runtime/compiler/catalogue/types.ts';
import { fit, textWidth } from './text-width.ts';
import {
  BACKDROP, esc, FAMILIES, familyColour, FAULT, FONT, FRAME, INK, MUTED, num, PAPER, PULSE_COLOUR, typeColour,
} from './style.ts';

const TITLE_H = 30;
const SCOPE_TITLE_H = 26;
const GAP = 18;
const NOTE_LINE = 15;
const MARGIN = 16;

export interface SvgOptions {
  /** Prefix of the ids inside (markers): several pictures in one page need different ones. */
  idPrefix?: string;
  /** Leave out the title line (the HTML page has its own). */
  untitled?: boolean;
}

/** The whole diagram (the scopes given, laid out) as one SVG document. */
export function diagramSvg(d: Diagram, placed: PlacedScope[], o: SvgOptions = {}): string {
  const id = o.idPrefix ?? 'pw';
  const width = Math.max(640, ...placed.map((p) => p.width + 2 * MARGIN));
  const parts: string[] = [];
  let y = MARGIN;
  if (!o.untitled) {
    parts.push(`<text x="${MARGIN}" y="${y + 16}" font-size="16" font-weight="bold" fill="${INK}">${esc(d.title)}</text>`);
    const sub = [d.source, ...d.caveats].join(' · ');
    parts.push(`<text x="${MARGIN + textWidth(d.title, 16, true) + 12}" y="${y + 16}" font-size="11" fill="${MUTED}">${esc(fit(sub, 11, width - 3 * MARGIN - textWidth(d.title, 16, true)))}</text>`);
    y += TITLE_H;
    for (const line of wrapAll(d.notes.map((n) => `⚠ ${n}`), width - 2 * MARGIN)) {
      parts.push(`<text x="${MARGIN}" y="${y + 11}" font-size="11" fill="${FAULT}">${esc(line)}</text>`);
      y += NOTE_LINE;
    }
  }
  for (const p of placed) {
    const { svg, height } = scopeSvg(p, width - 2 * MARGIN, id);
    parts.push(`<g class="scope" data-scope="${esc(p.scope.label)}" transform="translate(${MARGIN} ${num(y)})">${svg}</g>`);
    y += height + GAP;
  }
  const legend = legendSvg(placed, width - 2 * MARGIN, id);
  parts.push(`<g class="legend" transform="translate(${MARGIN} ${num(y)})">${legend.svg}</g>`);
  y += legend.height + MARGIN;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(y)}" viewBox="0 0 ${num(width)} ${num(y)}" font-family="${FONT}">\n` +
    `<defs>${markers(id)}</defs>\n` +
    `<rect width="100%" height="100%" fill="${BACKDROP}"/>\n` +
    parts.join('\n') +
    '\n</svg>\n'
  );
}

function markers(id: string): string {
  return (
    `<marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M0 0L10 5L0 10z" fill="${PULSE_COLOUR}"/></marker>`
  );
}

/** One scope's frame: its title, the graph, and its problems under it. */
function scopeSvg(p: PlacedScope, width: number, id: string): { svg: string; height: number } {
  const s = p.scope;
  const faulty = p.nodes.filter((n) => n.faults.length > 0);
  const problems: string[] = [];
  faulty.forEach((n, i) => n.faults.forEach((f) => problems.push(`${i + 1}  ${n.id}: ${f}`)));
  for (const n of s.notes) problems.push(`•  ${n}`);
  const noteLines = wrapAll(problems, width - 24);
  const graphH = Math.max(p.height, 40);
  const height = SCOPE_TITLE_H + graphH + (noteLines.length ? noteLines.length * NOTE_LINE + 10 : 0);
  const out: string[] = [];
  out.push(`<rect width="${num(width)}" height="${num(height)}" rx="8" fill="${PAPER}" stroke="${FRAME}"/>`);
  const summary = `${s.nodes.length} node${s.nodes.length === 1 ? '' : 's'}, ${s.links.length} link${s.links.length === 1 ? '' : 's'}` +
    (faulty.length || s.notes.length ? `, ${problems.length} problem${problems.length === 1 ? '' : 's'}` : '');
  out.push(`<text x="12" y="18" font-size="13" font-weight="bold" fill="${INK}">${esc(s.label)}</text>`);
  out.push(`<text x="${num(20 + textWidth(s.label, 13, true))}" y="18" font-size="11" fill="${problems.length ? FAULT : MUTED}">${esc(summary)}</text>`);
  out.push(`<g transform="translate(0 ${SCOPE_TITLE_H})">`);
  // Links under the boxes, so that a box never hides behind a line.
  p.links.forEach((l) => out.push(linkSvg(s.label, s.links[l.index], l.points, id)));
  for (const n of p.nodes) out.push(nodeSvg(s.label, n, faulty.indexOf(n) + 1));
  out.push('</g>');
  let y = SCOPE_TITLE_H + graphH + 14;
  for (const line of noteLines) {
    out.push(`<text class="problem" x="12" y="${num(y)}" font-size="11" fill="${FAULT}">${esc(line)}</text>`);
    y += NOTE_LINE;
  }
  return { svg: out.join(''), height };
}

function linkSvg(scope: string, l: DLink, points: Point[], id: string): string {
  const cls = l.pulse ? 'link pulse' : 'link data';
  const attrs = `class="${cls}" data-from="${esc(`${scope}/${l.from.node}:${l.from.pin}`)}" data-to="${esc(`${scope}/${l.to.node}:${l.to.pin}`)}"`;
  const d = roundedPath(points);
  if (l.pulse) return `<path ${attrs} d="${d}" fill="none" stroke="${PULSE_COLOUR}" stroke-width="2" marker-end="url(#${id}-arrow)"/>`;
  return `<path ${attrs} d="${d}" fill="none" stroke="${typeColour(l.type)}" stroke-width="1.5" stroke-dasharray="${l.type === '?' ? '3 3' : 'none'}" opacity="0.9"/>`;
}

/** An orthogonal polyline with its corners rounded. */
function roundedPath(pts: Point[]): string {
  if (pts.length === 0) return 'M0 0';
  let d = `M${num(pts[0].x)} ${num(pts[0].y)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    const c = pts[i + 1];
    const r = Math.min(5, dist(a, b) / 2, dist(b, c) / 2);
    const p1 = toward(b, a, r);
    const p2 = toward(b, c, r);
    d += `L${num(p1.x)} ${num(p1.y)}Q${num(b.x)} ${num(b.y)} ${num(p2.x)} ${num(p2.y)}`;
  }
  const last = pts[pts.length - 1];
  return d + `L${num(last.x)} ${num(last.y)}`;
}
const dist = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);
function toward(from: Point, to: Point, r: number): Point {
  const l = dist(from, to) || 1;
  return { x: from.x + ((to.x - from.x) * r) / l, y: from.y + ((to.y - from.y) * r) / l };
}

function nodeSvg(scope: string, n: PlacedNode, badge: number): string {
  const colour = familyColour(n.family);
  const out: string[] = [];
  const faulty = n.faults.length > 0;
  const tip = [`${n.id} (${n.type})`, ...n.faults.map((f) => `problem: ${f}`)].join('\n');
  out.push(`<g class="node${faulty ? ' faulty' : ''}" data-node="${esc(`${scope}/${n.id}`)}" data-family="${esc(n.family)}" transform="translate(${num(n.x)} ${num(n.y)})">`);
  out.push(`<title>${esc(tip)}</title>`);
  const rx = n.kind === 'event' ? 12 : 5;
  out.push(`<rect class="box" x="0" y="0" width="${num(n.width)}" height="${num(n.height)}" rx="${rx}" fill="${PAPER}" stroke="${faulty ? FAULT : colour}" stroke-width="${faulty ? 2.5 : 1.2}"/>`);
  // The header: the family's colour, clipped to the box's rounded top.
  const h = n.header;
  out.push(`<path class="header" d="M0 ${rx}Q0 0 ${rx} 0H${num(n.width - rx)}Q${num(n.width)} 0 ${num(n.width)} ${rx}V${num(h)}H0Z" fill="${colour}"/>`);
  let y = 0;
  for (const l of headerLines(n)) {
    y += l.kind === 'id' ? METRICS.headerId - 4 : METRICS.headerLine;
    const fill = l.kind === 'id' ? '#ffffff' : 'rgba(255,255,255,0.88)';
    const style = l.kind === 'type' ? ' font-style="italic"' : '';
    const text = fit(l.text, l.font, n.width - 2 * METRICS.pad, l.bold);
    out.push(`<text class="${l.kind}" x="${METRICS.pad}" y="${num(y)}" font-size="${l.font}"${l.bold ? ' font-weight="bold"' : ''}${style} fill="${fill}">${esc(text)}</text>`);
  }
  const inputs = n.pins.filter((p) => p.side === 'in');
  const outputs = n.pins.filter((p) => p.side === 'out');
  const shown = (p: PlacedPin | undefined) => (p === undefined || (p.name === PULSE && p.literal === undefined) ? '' : pinLabel(p));
  for (const p of n.pins) {
    const c = p.faulty ? FAULT : p.type === 'Pulse' ? PULSE_COLOUR : typeColour(p.type);
    if (p.type === 'Pulse') {
      const x = p.x;
      out.push(`<path class="pin" d="M${num(x - 4)} ${num(p.y - 5)}L${num(x + 4)} ${num(p.y)}L${num(x - 4)} ${num(p.y + 5)}Z" fill="${PAPER}" stroke="${c}" stroke-width="1.5"/>`);
    } else {
      out.push(`<circle class="pin" cx="${num(p.x)}" cy="${num(p.y)}" r="4" fill="${c}" stroke="${PAPER}" stroke-width="1"/>`);
    }
    // A label may take the row's width but for its partner's on the other side.
    const row = (p.side === 'in' ? inputs : outputs).indexOf(p);
    const partner = shown((p.side === 'in' ? outputs : inputs)[row]);
    const room = n.width - 2 * METRICS.pinInset - (partner ? Math.min(textWidth(partner, METRICS.font), METRICS.maxLabel) + 12 : 0);
    const label = fit(shown(p), METRICS.font, room);
    if (!label) continue;
    const anchor = p.side === 'in' ? `x="${METRICS.pinInset}"` : `x="${num(n.width - METRICS.pinInset)}" text-anchor="end"`;
    out.push(`<text class="pin-label" ${anchor} y="${num(p.y + 4)}" font-size="${METRICS.font}" fill="${p.faulty ? FAULT : INK}">${esc(label)}</text>`);
  }
  if (faulty) {
    out.push(`<circle class="badge" cx="${num(n.width)}" cy="0" r="9" fill="${FAULT}"/>`);
    out.push(`<text x="${num(n.width)}" y="4" font-size="11" font-weight="bold" fill="#ffffff" text-anchor="middle">${badge}</text>`);
  }
  out.push('</g>');
  return out.join('');
}

/** The families, link kinds and pin types that appear, with their colours. */
function legendSvg(placed: PlacedScope[], width: number, id: string): { svg: string; height: number } {
  const families = new Set<string>();
  const types = new Set<string>();
  for (const p of placed) {
    for (const n of p.nodes) families.add(n.family);
    for (const l of p.scope.links) if (!l.pulse && l.type) types.add(l.type);
  }
  const items: { w: number; svg: (x: number) => string }[] = [];
  const text = (x: number, s: string) => `<text x="${num(x)}" y="12" font-size="11" fill="${INK}">${esc(s)}</text>`;
  for (const f of Object.keys(FAMILIES)) {
    if (!families.has(f)) continue;
    const name = FAMILIES[f].name;
    items.push({ w: 18 + textWidth(name, 11), svg: (x) => `<rect x="${num(x)}" y="2" width="12" height="12" rx="3" fill="${familyColour(f)}"/>${text(x + 16, name)}` });
  }
  items.push({
    w: 34 + textWidth('pulse', 11),
    svg: (x) => `<path d="M${num(x)} 8H${num(x + 24)}" stroke="${PULSE_COLOUR}" stroke-width="2" marker-end="url(#${id}-arrow)"/>${text(x + 30, 'pulse')}`,
  });
  for (const t of [...types].sort()) {
    const s = `${t} data`;
    items.push({ w: 34 + textWidth(s, 11), svg: (x) => `<path d="M${num(x)} 8H${num(x + 24)}" stroke="${typeColour(t)}" stroke-width="1.5"/><circle cx="${num(x + 24)}" cy="8" r="3.5" fill="${typeColour(t)}"/>${text(x + 30, s)}` });
  }
  if (placed.some((p) => p.nodes.some((n) => n.faults.length))) {
    items.push({ w: 22 + textWidth('a problem (listed under its scope)', 11), svg: (x) => `<circle cx="${num(x + 7)}" cy="8" r="7" fill="${FAULT}"/>${text(x + 20, 'a problem (listed under its scope)')}` });
  }
  const out: string[] = [];
  let x = 0;
  let row = 0;
  for (const it of items) {
    if (x > 0 && x + it.w > width) {
      x = 0;
      row++;
    }
    out.push(`<g transform="translate(0 ${row * 18})">${it.svg(x)}</g>`);
    x += it.w + 18;
  }
  return { svg: out.join(''), height: (row + 1) * 18 };
}

/** Lines wrapped at word boundaries to fit `width` px at 11 px. */
function wrapAll(lines: string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let cur = '';
    for (const word of line.split(' ')) {
      const next = cur ? `${cur} ${word}` : word;
      if (cur && textWidth(next, 11) > width) {
        out.push(cur);
        cur = `    ${word}`;
      } else cur = next;
    }
    if (cur) out.push(fit(cur, 11, width));
  }
  return out;
}
