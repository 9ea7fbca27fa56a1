// Places a scope's boxes and routes its links with ELK's layered algorithm
// (elkjs): made for port-based data-flow diagrams, it keeps each pin where
// the box has it (inputs left, outputs right, in the editor's order), puts
// the graph in layers left to right along the links, and routes the links
// orthogonally around the boxes. docs/PICTURES.md says why ELK.
//
// Box sizes come from the text they hold (text-width.ts), so the layout and
// the drawing agree. The same scope gives the same layout: ELK is
// deterministic for the same input, and nodes and links go in in file order
// (which ELK is asked to respect where the graph leaves it free).

import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { DNode, DPin, DScope } from './diagram.ts';
import { textWidth } from './text-width.ts';

export const METRICS = {
  font: 11,
  idFont: 12,
  typeFont: 10.5,
  attrFont: 10,
  row: 17,
  headerId: 18,
  headerLine: 14,
  pad: 10,
  pinInset: 12,
  minWidth: 120,
  maxLabel: 150,
};

export interface Point {
  x: number;
  y: number;
}

export interface PlacedPin extends DPin {
  side: 'in' | 'out';
  x: number;
  y: number;
}

export interface PlacedNode extends DNode {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Height of the header (id, type, key, attributes) above the pin rows. */
  header: number;
  pins: PlacedPin[];
}

export interface PlacedLink {
  index: number;
  points: Point[];
}

export interface PlacedScope {
  scope: DScope;
  width: number;
  height: number;
  nodes: PlacedNode[];
  links: PlacedLink[];
}

/** The header lines of a box: id, type, key attribute, the other attributes (one line). */
export function headerLines(n: DNode): { text: string; font: number; bold?: boolean; kind: 'id' | 'type' | 'key' | 'attrs' }[] {
  const lines: { text: string; font: number; bold?: boolean; kind: 'id' | 'type' | 'key' | 'attrs' }[] = [
    { text: n.id, font: METRICS.idFont, bold: true, kind: 'id' },
    { text: n.type, font: METRICS.typeFont, kind: 'type' },
  ];
  if (n.key) lines.push({ text: n.key, font: METRICS.attrFont, bold: true, kind: 'key' });
  if (n.attrs.length) lines.push({ text: n.attrs.join(' · '), font: METRICS.attrFont, kind: 'attrs' });
  return lines;
}

/** A pin's label as drawn: its name, and a literal after it (`Key = "speed"`). */
export function pinLabel(p: DPin): string {
  return p.literal === undefined ? p.name : `${p.name} = ${p.literal}`;
}

const labelWidth = (p: DPin | undefined) => (p ? Math.min(textWidth(pinLabel(p), METRICS.font), METRICS.maxLabel) : 0);

/** A box's size and its pins' positions, from the text it holds. */
export function measure(n: DNode): Omit<PlacedNode, 'x' | 'y'> {
  const M = METRICS;
  const lines = headerLines(n);
  const header = M.headerId + (lines.length - 1) * M.headerLine + 4;
  let width = M.minWidth;
  for (const l of lines) width = Math.max(width, Math.min(textWidth(l.text, l.font, l.bold), 260) + 2 * M.pad);
  const rows = Math.max(n.inputs.length, n.outputs.length);
  for (let i = 0; i < rows; i++) width = Math.max(width, labelWidth(n.inputs[i]) + labelWidth(n.outputs[i]) + 2 * M.pinInset + 24);
  width = Math.ceil(width);
  const height = header + Math.max(rows, 1) * M.row + 6;
  const y = (i: number) => header + i * M.row + M.row / 2 + 2;
  const pins: PlacedPin[] = [
    ...n.inputs.map((p, i) => ({ ...p, side: 'in' as const, x: 0, y: y(i) })),
    ...n.outputs.map((p, i) => ({ ...p, side: 'out' as const, x: width, y: y(i) })),
  ];
  return { ...n, width, height, header, pins };
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.randomSeed': '1',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
  'elk.spacing.nodeNode': '26',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '7',
  'elk.spacing.componentComponent': '36',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '7',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
};

const portId = (node: string, side: 'in' | 'out', pin: string) => `${node}\u0000${side}\u0000${pin}`;

type Elk = { layout(g: ElkNode): Promise<ElkNode> };
let elk: Promise<Elk> | undefined;

/** ELK, loaded on first use (1.6 MB of JavaScript: only the commands that draw load it). */
function loadElk(): Promise<Elk> {
  return (elk ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    const ELK = (m.default ?? m) as unknown as new () => Elk;
    return new ELK();
  }));
}

/** Lays out one scope. */
export async function layoutScope(scope: DScope): Promise<PlacedScope> {
  const measured = scope.nodes.map(measure);
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: measured.map((n) => ({
      id: n.id,
      width: n.width,
      height: n.height,
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      ports: n.pins.map((p) => ({
        id: portId(n.id, p.side, p.name),
        x: p.x,
        y: p.y,
        width: 0,
        height: 0,
        layoutOptions: { 'elk.port.side': p.side === 'in' ? 'WEST' : 'EAST' },
      })),
    })),
    edges: scope.links.map(
      (l, i): ElkExtendedEdge => ({ id: `e${i}`, sources: [portId(l.from.node, 'out', l.from.pin)], targets: [portId(l.to.node, 'in', l.to.pin)] }),
    ),
  };
  const laid = await (await loadElk()).layout(graph);
  const at = new Map((laid.children ?? []).map((c) => [c.id, c]));
  const nodes: PlacedNode[] = measured.map((n) => ({ ...n, x: round(at.get(n.id)?.x ?? 0), y: round(at.get(n.id)?.y ?? 0) }));
  const links: PlacedLink[] = (laid.edges ?? []).map((e, i) => {
    const s = (e as ElkExtendedEdge).sections?.[0];
    const points = s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => ({ x: round(p.x), y: round(p.y) })) : [];
    return { index: i, points };
  });
  return { scope, width: Math.ceil(laid.width ?? 0), height: Math.ceil(laid.height ?? 0), nodes, links };
}

const round = (x: number) => Math.round(x * 10) / 10;
