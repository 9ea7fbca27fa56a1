// Section 3's workload: generated graphs, and the same logic written by hand.
//
// A graph of S nodes is S/10 blocks of 10 nodes. Block i, for a Float
// variable x_i and a String variable s_i (a_i, b_i, t_i constants):
//
//   Branch ──OnTrue──► Variable Setter x_i := Subtract(P, t_i) ──┐
//     │ Input: P >= t_i                                            ├─► Variable Setter s_i := Format("x={0} p={1}", x_i, P) ─► next block
//     └─OnFalse─► Variable Setter x_i := P ───────────────────────┘
//   where P = Multiply(Add(Variable Getter x_i, a_i), b_i)
//
// ten nodes: Variable Getter, Add, Multiply, Is Greater Equal, Branch,
// Subtract, two Variable Setters for x, Format, Variable Setter for s.
// Pure data nodes are evaluated where they are read (docs/ARCHITECTURE.md), so a run of
// block i executes 15 nodes when the branch is taken and 14 when not, and
// the Format reads x_i after the setter changed it.
//
// Block 0 listens to its own connection, "Small"; blocks 1… are one chain on
// "Big". A tick with an event on Small wakes ten nodes whatever the graph's
// size; a tick with events on both runs the whole graph.
//
// The hand-written version is what a programmer would write for the same
// behaviour: a loop over the blocks' constants, the same arithmetic, the
// same change detection and the same change records. It is JavaScript
// source, so that it runs unchanged in Node and in QuickJS.

export interface Workload {
  nodes: number;
  blocks: number;
  project: object;
  /** `a`, `b`, `t` per block and the initial x; what the hand-written code closes over. */
  consts: { a: number[]; b: number[]; t: number[]; x0: number[] };
}

const A = (i: number) => 1 + (i % 5) * 0.25;
const B = (i: number) => 0.95 - (i % 4) * 0.01;
const T = (i: number) => 10 + (i % 3);
const X0 = (i: number) => i % 7;

export function workload(nodes: number): Workload {
  if (nodes % 10 !== 0 || nodes < 20) throw new Error('a workload is a multiple of 10 nodes, at least 20');
  const blocks = nodes / 10;
  const ns: object[] = [];
  const ls: object[] = [];
  const link = (f: string, fp: string, t: string, tp: string) => ls.push({ from: [f, fp], to: [t, tp] });
  const variables: object[] = [];
  for (let i = 0; i < blocks; i++) {
    const x = `x${i}`;
    variables.push({ name: x, type: 'Float', initial: X0(i) }, { name: `s${i}`, type: 'String', initial: '' });
    ns.push(
      { id: `get${i}`, type: 'Variable Getter', attributes: { Variable: x } },
      { id: `add${i}`, type: 'Add', inputs: { 'Input 1': A(i) } },
      { id: `mul${i}`, type: 'Multiply', inputs: { 'Input 1': B(i) } },
      { id: `ge${i}`, type: 'Is Greater Equal', inputs: { 'Input 1': T(i) } },
      { id: `br${i}`, type: 'Branch' },
      { id: `sub${i}`, type: 'Subtract', inputs: { 'Input 1': T(i) } },
      { id: `setT${i}`, type: 'Variable Setter', attributes: { Variable: x } },
      { id: `setF${i}`, type: 'Variable Setter', attributes: { Variable: x } },
      { id: `fmt${i}`, type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: 'x={0} p={1}' } },
      { id: `setS${i}`, type: 'Variable Setter', attributes: { Variable: `s${i}` } },
    );
    link(`get${i}`, 'Value', `add${i}`, 'Input 0');
    link(`add${i}`, 'Output', `mul${i}`, 'Input 0');
    link(`mul${i}`, 'Output', `ge${i}`, 'Input 0');
    link(`ge${i}`, 'Output', `br${i}`, 'Input');
    link(`mul${i}`, 'Output', `sub${i}`, 'Input 0');
    link(`br${i}`, 'OnTrue', `setT${i}`, '►');
    link(`sub${i}`, 'Output', `setT${i}`, 'Value');
    link(`br${i}`, 'OnFalse', `setF${i}`, '►');
    link(`mul${i}`, 'Output', `setF${i}`, 'Value');
    link(`get${i}`, 'Value', `fmt${i}`, 'Input 0');
    link(`mul${i}`, 'Output', `fmt${i}`, 'Input 1');
    link(`fmt${i}`, 'Output', `setS${i}`, 'Value');
    link(`setT${i}`, '►', `setS${i}`, '►');
    link(`setF${i}`, '►', `setS${i}`, '►');
    if (i >= 2) link(`setS${i - 1}`, '►', `br${i}`, '►');
  }
  const cfg = (c: string) => ({ Configuration: c });
  ns.push({ id: 'onSmall', type: 'On WebSocket Receive', attributes: cfg('Small') }, { id: 'onBig', type: 'On WebSocket Receive', attributes: cfg('Big') });
  link('onSmall', '►', 'br0', '►');
  link('onBig', '►', 'br1', '►');
  const conn = (name: string) => ({ Name: name, URL: 'ws://127.0.0.1', Port: 9, reconnect: { enabled: false } });
  const project = {
    format: 'pulsewire-project/1',
    name: `bench-${nodes}`,
    settings: { tickRate: 60, webSocketConnections: [conn('Small'), conn('Big')], limits: { outputsPerTick: 4 * blocks + 16 } },
    variables,
    scopes: [{ kind: 'Project', nodes: ns, links: ls }],
  };
  const idx = Array.from({ length: blocks }, (_, i) => i);
  return { nodes, blocks, project, consts: { a: idx.map(A), b: idx.map(B), t: idx.map(T), x0: idx.map(X0) } };
}

/** Connection indexes in the schedule (the order of webSocketConnections). */
export const SMALL = 0;
export const BIG = 1;

/**
 * JavaScript source of `makeHandWritten(consts)`: returns `{ onSmall(msg), onBig(msg), state() }`;
 * each handler returns the change records of one event, as the VM's tick does.
 * With `count`, the handlers return the number of graph nodes the VM executes for the same work instead.
 */
export function handWrittenSource(count = false): string {
  const change = (v: string, arr: string, names: string) =>
    count ? `${arr}[i] = ${v};` : `if (${v} !== ${arr}[i]) { ${arr}[i] = ${v}; out.push({ kind: 'var', name: ${names}[i], value: ${v} }); }`;
  return `(function makeHandWritten(c) {
  const A = c.a, B = c.b, T = c.t, n = A.length;
  const x = c.x0.slice(), s = new Array(n).fill('');
  const XN = A.map((_, i) => 'x' + i), SN = A.map((_, i) => 's' + i);
  function run(from, to, out) {
    let nodes = 0;
    for (let i = from; i < to; i++) {
      const p = (x[i] + A[i]) * B[i];
      const v = p >= T[i] ? p - T[i] : p;
      ${count ? 'nodes += p >= T[i] ? 15 : 14;' : ''}
      ${change('v', 'x', 'XN')}
      const g = x[i];
      const text = 'x=' + g + ' p=' + (g + A[i]) * B[i];
      ${change('text', 's', 'SN')}
    }
    return nodes;
  }
  return {
    onSmall(msg) { const out = []; const k = run(0, 1, out); return ${count ? 'k' : 'out'}; },
    onBig(msg) { const out = []; const k = run(1, n, out); return ${count ? 'k' : 'out'}; },
    state() { const o = {}; for (let i = 0; i < n; i++) { o[XN[i]] = x[i]; o[SN[i]] = s[i]; } return o; },
  };
})`;
}

export interface HandWritten {
  onSmall(msg: string): unknown;
  onBig(msg: string): unknown;
  state(): Record<string, unknown>;
}

export function handWritten(w: Workload, count = false): HandWritten {
  // eslint-disable-next-line no-new-func
  return (0, eval)(handWrittenSource(count))(w.consts) as HandWritten;
}
