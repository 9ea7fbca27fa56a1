// The pictures' colours and text, in one place: the graph, the timeline and
// the inspector page draw with the same palette.

export const FONT = 'DejaVu Sans, Verdana, Arial, Helvetica, sans-serif';
export const MONO = 'DejaVu Sans Mono, Menlo, Consolas, monospace';

/** Header colour of each node family (runtime/compiler/catalogue), and its name in the legend. */
export const FAMILIES: Record<string, { colour: string; name: string }> = {
  events: { colour: '#7c3aed', name: 'events, scenes, functions' },
  flow: { colour: '#475569', name: 'flow control' },
  variables: { colour: '#0f766e', name: 'variables' },
  time: { colour: '#b45309', name: 'time' },
  string: { colour: '#1d4ed8', name: 'string' },
  dictionary: { colour: '#0e7490', name: 'dictionary' },
  math: { colour: '#15803d', name: 'math' },
  development: { colour: '#57534e', name: 'development' },
  utilities: { colour: '#6b7280', name: 'utilities' },
  'communication/websocket': { colour: '#be185d', name: 'WebSocket' },
  'communication/socketio': { colour: '#c2410c', name: 'Socket.IO' },
  unknown: { colour: '#dc2626', name: 'unknown type' },
  code: { colour: '#64748b', name: 'compiled code (type unknown)' },
};

export const familyColour = (f: string): string => (FAMILIES[f] ?? FAMILIES.unknown).colour;

/** Colour of a data pin and its links, by type. */
export const TYPE_COLOURS: Record<string, string> = {
  Bool: '#b91c1c',
  Int: '#0369a1',
  Float: '#15803d',
  Number: '#0f766e',
  String: '#c026d3',
  Binary: '#7c3aed',
  Any: '#64748b',
  '?': '#94a3b8',
};
export const typeColour = (t: string | undefined): string => TYPE_COLOURS[t ?? '?'] ?? TYPE_COLOURS['?'];

export const PULSE_COLOUR = '#0f172a';
export const FAULT = '#dc2626';
export const INK = '#0f172a';
export const MUTED = '#64748b';
export const FRAME = '#cbd5e1';
export const PAPER = '#ffffff';
export const BACKDROP = '#f8fafc';

/** Text for XML: &, <, > and quotes escaped; characters XML cannot hold replaced. */
export function esc(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A number for an SVG attribute: at most one decimal, no `-0`. */
export function num(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}
