// Reading the pictures back in tests: a strict XML parser (any error is
// fatal), then the boxes and links the drawing holds, by their data- names.

import { DOMParser, type Element } from '@xmldom/xmldom';

export interface Box {
  node: string;
  x: number;
  y: number;
  width: number;
  height: number;
  faulty: boolean;
  text: string;
}

export function parseSvg(text: string) {
  const doc = new DOMParser({
    onError: (level, msg) => {
      throw new Error(`the SVG does not parse (${level}): ${msg}`);
    },
  }).parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.tagName !== 'svg') throw new Error(`the document's root is ${root?.tagName}, not svg`);
  return root;
}

const all = (e: Element, tag: string): Element[] => Array.from(e.getElementsByTagName(tag)) as Element[];

function translate(e: Element): { x: number; y: number } {
  const m = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(e.getAttribute('transform') ?? '');
  return m ? { x: Number(m[1]), y: Number(m[2]) } : { x: 0, y: 0 };
}

/** Absolute position of an element: the sum of its ancestors' translations. */
function origin(e: Element): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (let p: Element | null = e; p; p = p.parentNode as Element | null) {
    if (!p.getAttribute) break;
    const t = translate(p);
    x += t.x;
    y += t.y;
  }
  return { x, y };
}

export function boxes(svg: Element): Box[] {
  return all(svg, 'g')
    .filter((g) => (g.getAttribute('class') ?? '').split(' ').includes('node'))
    .map((g) => {
      const rect = all(g, 'rect').find((r) => r.getAttribute('class') === 'box')!;
      const o = origin(g);
      return {
        node: g.getAttribute('data-node')!,
        x: o.x,
        y: o.y,
        width: Number(rect.getAttribute('width')),
        height: Number(rect.getAttribute('height')),
        faulty: (g.getAttribute('class') ?? '').includes('faulty'),
        text: g.textContent ?? '',
      };
    });
}

export function links(svg: Element): { from: string; to: string; pulse: boolean }[] {
  return all(svg, 'path')
    .filter((p) => (p.getAttribute('class') ?? '').startsWith('link'))
    .map((p) => ({ from: p.getAttribute('data-from')!, to: p.getAttribute('data-to')!, pulse: p.getAttribute('class')!.includes('pulse') }));
}

export function overlaps(bs: Box[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < bs.length; i++) {
    for (let j = i + 1; j < bs.length; j++) {
      const a = bs[i];
      const b = bs[j];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) out.push(`${a.node} and ${b.node}`);
    }
  }
  return out;
}
