// The inspector page (bundled by esbuild into dist/inspector.js): one
// WebSocket to the server that served it, the control protocol over it
// (hello, graph, then pushes; pause, step and resume when the run allows
// control), and a view that keeps only bounded rings: the last ticks, the
// last values per variable, the last console lines. Nothing is fetched from
// anywhere else.

export {};

const SUBPROTOCOL = 'pulsewire-control.v1';
const TOKEN_PREFIX = 'pulsewire-token.';
const TIMELINE_TICKS = 600;
const SPARK = 120;
const LINES = 200;
const LIT_MS = 1200;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Status {
  tick: number;
  now: number;
  paused: boolean;
  connections: { conn: number; state: string; retryAt?: number; queued: number; dropped: number; in: number; out: number }[];
}
interface Info {
  target: string;
  project: string;
  schedule: string;
  tickRateHz: number;
  mode: string;
  control: boolean;
}

/** A fixed-size ring: the page's memory stays bounded however long it runs. */
class Ring<T> {
  private items: T[] = [];
  private start = 0;
  constructor(readonly size: number) {}
  push(x: T): void {
    if (this.items.length < this.size) this.items.push(x);
    else {
      this.items[this.start] = x;
      this.start = (this.start + 1) % this.size;
    }
  }
  toArray(): T[] {
    return this.items.slice(this.start).concat(this.items.slice(0, this.start));
  }
  get length(): number {
    return this.items.length;
  }
}

const $ = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
};

const CSS = `
body { margin: 0; font: 13px "DejaVu Sans", Verdana, Arial, sans-serif; color: #0f172a; background: #f1f5f9; }
header { display: flex; gap: 16px; align-items: center; padding: 8px 14px; background: #0f172a; color: #fff; }
header h1 { font-size: 16px; margin: 0; }
header .meta { color: #cbd5e1; font-size: 12px; }
header .link { margin-left: auto; font-size: 12px; }
button { font: inherit; padding: 3px 10px; border-radius: 4px; border: 1px solid #94a3b8; background: #fff; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
main { display: grid; grid-template-columns: minmax(0, 5fr) minmax(440px, 2fr); gap: 10px; padding: 10px; }
section { background: #fff; border: 1px solid #cbd5e1; border-radius: 8px; padding: 8px 10px; min-width: 0; }
section h2 { font-size: 13px; margin: 0 0 6px; color: #334155; }
#graph { overflow: auto; max-height: 62vh; }
#graph svg { display: block; }
#graph .node.lit .box { stroke: #f59e0b; stroke-width: 4; }
#graph .node.lit { filter: drop-shadow(0 0 4px #f59e0b); }
table { border-collapse: collapse; width: 100%; }
td, th { padding: 3px 4px; border-bottom: 1px solid #e2e8f0; text-align: left; font-size: 12px; white-space: nowrap; }
td.v { font-family: "DejaVu Sans Mono", monospace; max-width: 160px; overflow: hidden; text-overflow: ellipsis; }
.state { display: inline-block; padding: 1px 7px; border-radius: 9px; color: #fff; font-size: 11px; }
.state.open { background: #16a34a; } .state.connecting { background: #f59e0b; } .state.backoff { background: #dc2626; }
.state.stopped, .state.idle, .state.closing { background: #64748b; }
#lines div { font-family: "DejaVu Sans Mono", monospace; font-size: 11.5px; white-space: pre-wrap; }
.warning { color: #b45309; } .error { color: #dc2626; } .info { color: #1d4ed8; }
#timeline { width: 100%; height: 90px; display: block; }
.wide { grid-column: 1 / -1; }
#banner { padding: 6px 14px; background: #fee2e2; color: #991b1b; display: none; }
`;

const view = {
  tick: $('span', { id: 'tick' }, '–'),
  time: $('span', { id: 'time' }, ''),
  link: $('span', { class: 'link', id: 'link' }, 'connecting…'),
  controls: $('span', { id: 'controls' }),
  graph: $('div', { id: 'graph' }, 'no graph'),
  vars: $('tbody', { id: 'vars' }),
  conns: $('tbody', { id: 'conns' }),
  lines: $('div', { id: 'lines' }),
  timeline: $('canvas', { id: 'timeline', width: '1200', height: '90' }) as HTMLCanvasElement,
  banner: $('div', { id: 'banner' }),
  title: $('h1', {}, 'pulsewire'),
  meta: $('span', { class: 'meta' }),
};

const vars = new Map<string, { row: HTMLTableRowElement; spark: Ring<number>; value: Json }>();
const ticks = new Ring<{ tick: number; cost: number; events: number; outputs: number; errors: number }>(TIMELINE_TICKS);
const lines = new Ring<{ tick: number; cls: string; text: string }>(LINES);
const lit = new Map<string, number>();
let chains: Record<string, string[]> = {};
let info: Info | undefined;
let status: Status | undefined;
let linesDirty = false;
let ws: WebSocket;
let nextId = 1;
const waiting = new Map<number, (r: { ok: boolean; result?: unknown; error?: string }) => void>();

function request(op: string, extra: Record<string, unknown> = {}): Promise<unknown> {
  const id = nextId++;
  ws.send(JSON.stringify({ id, op, ...extra }));
  return new Promise((resolve, reject) => waiting.set(id, (r) => (r.ok ? resolve(r.result) : reject(new Error(r.error)))));
}

function text(v: Json): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v);
}

function setVar(name: string, value: Json): void {
  let v = vars.get(name);
  if (!v) {
    const row = $('tr', { 'data-var': name }, $('td', {}, name), $('td', { class: 'v' }), $('td', {}, $('canvas', { width: '120', height: '18' })));
    v = { row, spark: new Ring<number>(SPARK), value: null };
    vars.set(name, v);
    const rows = [...vars.keys()].sort();
    view.vars.insertBefore(row, vars.get(rows[rows.indexOf(name) + 1])?.row ?? null);
  }
  v.value = value;
  const n = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : NaN;
  if (!Number.isNaN(n)) v.spark.push(n);
  (v.row.children[1] as HTMLElement).textContent = text(value);
  v.row.setAttribute('data-value', typeof value === 'string' ? value : JSON.stringify(value));
}

function drawSpark(c: HTMLCanvasElement, data: number[]): void {
  const g = c.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, c.width, c.height);
  if (data.length < 2) return;
  const lo = Math.min(...data);
  const hi = Math.max(...data);
  g.strokeStyle = '#1d4ed8';
  g.beginPath();
  data.forEach((d, i) => {
    const x = (i / (SPARK - 1)) * c.width;
    const y = hi === lo ? c.height / 2 : c.height - 2 - ((d - lo) / (hi - lo)) * (c.height - 4);
    if (i === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
  g.stroke();
}

function onTickLine(line: string): void {
  const t = JSON.parse(line) as { tick: number; time: number; cost?: number; events?: { kind: string }[]; outputs?: { kind: string; name?: string; value?: Json; level?: string; text?: string; message?: string; code?: string }[] };
  let errors = 0;
  for (const o of t.outputs ?? []) {
    if (o.kind === 'var') setVar(o.name!, o.value ?? null);
    else if (o.kind === 'console') {
      lines.push({ tick: t.tick, cls: o.level!, text: `[${o.level}] ${o.text}` });
      linesDirty = true;
    } else if (o.kind === 'error') {
      errors++;
      lines.push({ tick: t.tick, cls: 'error', text: `error ${o.code}: ${o.message}` });
      linesDirty = true;
    }
  }
  ticks.push({ tick: t.tick, cost: t.cost ?? 0, events: t.events?.length ?? 0, outputs: t.outputs?.length ?? 0, errors });
}

function stateWord(c: Status['connections'][number]): string {
  if (c.state === 'retrying') return 'backoff';
  if (c.state === 'idle') return 'stopped';
  return c.state;
}

function renderStatus(): void {
  if (!status) return;
  view.tick.textContent = String(status.tick);
  view.time.textContent = `t=${(status.now / 1000).toFixed(2)} s`;
  document.body.setAttribute('data-paused', String(status.paused));
  for (const c of status.connections) {
    let row = view.conns.querySelector<HTMLTableRowElement>(`tr[data-conn="${c.conn}"]`);
    if (!row) {
      row = $('tr', { 'data-conn': String(c.conn) }, $('td'), $('td'), $('td'), $('td'), $('td'), $('td'));
      view.conns.append(row);
    }
    const word = stateWord(c);
    row.setAttribute('data-state', word);
    const name = connectionNames[c.conn] ?? `connection ${c.conn}`;
    const wait = word === 'backoff' && c.retryAt !== undefined ? ` next attempt in ${Math.max(0, (c.retryAt - status.now) / 1000).toFixed(1)} s` : '';
    const cells = row.children;
    cells[0].textContent = name;
    cells[1].innerHTML = '';
    cells[1].append($('span', { class: `state ${word}` }, word), wait);
    cells[2].textContent = String(c.in);
    cells[3].textContent = String(c.out);
    cells[4].textContent = String(c.queued);
    cells[5].textContent = String(c.dropped);
  }
  renderControls();
}

let connectionNames: string[] = [];

function renderControls(): void {
  if (!info?.control) {
    view.controls.textContent = 'read-only';
    return;
  }
  if (!view.controls.querySelector('button')) {
    view.controls.textContent = '';
    const b = (label: string, op: string) => {
      const btn = $('button', { id: op }, label);
      btn.addEventListener('click', () => void request(op).then((s) => s && applyState(s as { tick: number }), (e) => showBanner((e as Error).message)));
      return btn;
    };
    view.controls.append(b('Pause', 'pause'), ' ', b('Step', 'step'), ' ', b('Resume', 'resume'));
  }
  const paused = status?.paused ?? true;
  (view.controls.querySelector('#pause') as HTMLButtonElement).disabled = paused;
  (view.controls.querySelector('#step') as HTMLButtonElement).disabled = !paused;
  (view.controls.querySelector('#resume') as HTMLButtonElement).disabled = !paused;
}

function applyState(s: { tick: number; now?: number; paused?: boolean }): void {
  if (status) {
    status.tick = s.tick;
    if (s.now !== undefined) status.now = s.now;
    if (s.paused !== undefined) status.paused = s.paused;
    renderStatus();
  }
}

function showBanner(msg: string): void {
  view.banner.textContent = msg;
  view.banner.style.display = 'block';
}

function frame(): void {
  const now = performance.now();
  for (const n of view.graph.querySelectorAll<SVGGElement>('g.node')) {
    const at = lit.get(n.getAttribute('data-node') ?? '');
    n.classList.toggle('lit', at !== undefined && now - at < LIT_MS);
  }
  for (const v of vars.values()) drawSpark(v.row.querySelector('canvas')!, v.spark.toArray());
  if (linesDirty) {
    linesDirty = false;
    view.lines.replaceChildren(...lines.toArray().slice(-60).reverse().map((l) => $('div', { class: l.cls }, `${l.tick}  ${l.text}`)));
  }
  drawTimeline();
}

function drawTimeline(): void {
  const c = view.timeline;
  const w = (c.width = c.clientWidth || 1200);
  const g = c.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, w, c.height);
  const all = ticks.toArray();
  const peak = Math.max(1, ...all.map((t) => t.cost));
  const dx = w / TIMELINE_TICKS;
  all.forEach((t, i) => {
    const x = w - (all.length - i) * dx;
    const h = (t.cost / peak) * 50;
    g.fillStyle = '#0f766e';
    g.fillRect(x, 58 - h, Math.max(1, dx), h);
    if (t.events) {
      g.fillStyle = '#2563eb';
      g.fillRect(x, 64, Math.max(1, dx), 8);
    }
    if (t.outputs) {
      g.fillStyle = '#7c3aed';
      g.fillRect(x, 74, Math.max(1, dx), 6);
    }
    if (t.errors) {
      g.fillStyle = '#dc2626';
      g.fillRect(x, 82, Math.max(2, dx), 8);
    }
  });
  g.fillStyle = '#64748b';
  g.font = '10px sans-serif';
  g.fillText(`budget per tick (peak ${peak}) · events in · outputs · errors — last ${TIMELINE_TICKS} ticks`, 4, 10);
}

async function start(): Promise<void> {
  document.head.append($('style', {}, CSS));
  const app = document.getElementById('app')!;
  app.replaceChildren(
    $('header', {}, view.title, view.meta, $('span', {}, 'tick ', view.tick, ' ', view.time), view.controls, view.link),
    view.banner,
    $('main', {},
      $('section', {}, $('h2', {}, 'Graph (lit: chains that ran in the last second)'), view.graph),
      $('section', {},
        $('h2', {}, 'Connections'),
        $('table', {}, $('thead', {}, $('tr', {}, ...['name', 'state', 'in', 'out', 'queued', 'dropped'].map((h) => $('th', {}, h)))), view.conns),
        $('h2', { style: 'margin-top:12px' }, 'Variables'),
        $('table', {}, view.vars),
      ),
      $('section', { class: 'wide' }, $('h2', {}, 'Ticks'), view.timeline),
      $('section', { class: 'wide' }, $('h2', {}, 'Console lines and errors (newest first)'), view.lines),
    ),
  );
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  ws = new WebSocket(`ws://${location.host}/ws`, [SUBPROTOCOL, TOKEN_PREFIX + token]);
  let opened = false;
  ws.onopen = async () => {
    opened = true;
    view.link.textContent = 'live';
    document.body.setAttribute('data-link', 'live');
    const hello = (await request('hello')) as { info: Info; state: { variables: Record<string, Json> }; status: Status };
    info = hello.info;
    view.title.textContent = info.project;
    view.meta.textContent = `${info.target} · ${info.mode} · ${info.tickRateHz} Hz · schedule ${info.schedule}`;
    for (const [k, v] of Object.entries(hello.state.variables)) setVar(k, v);
    status = hello.status;
    const g = (await request('graph')) as { svg: string | null; chains: Record<string, string[]>; connections?: string[] };
    chains = g.chains;
    if (g.svg) view.graph.innerHTML = g.svg;
    const trace = (await request('trace', { last: TIMELINE_TICKS })) as { header: string; lines: string[] };
    connectionNames = ((JSON.parse(trace.header) as { connections?: { name: string }[] }).connections ?? []).map((c) => c.name);
    for (const l of trace.lines) onTickLine(l);
    renderStatus();
  };
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data));
    if ('id' in msg) {
      waiting.get(msg.id)?.(msg);
      waiting.delete(msg.id);
    } else if (msg.push === 'ticks') {
      for (const l of msg.lines as string[]) onTickLine(l);
      const ran = msg.ran as number[];
      const now = performance.now();
      for (let i = 1; i < ran.length; i += 2) for (const n of chains[String(ran[i])] ?? []) lit.set(n, now);
    } else if (msg.push === 'tick') {
      onTickLine(msg.line);
    } else if (msg.push === 'status') {
      status = msg as Status;
      renderStatus();
    }
  };
  ws.onclose = (e) => {
    document.body.setAttribute('data-link', opened ? 'closed' : 'refused');
    view.link.textContent = opened ? 'the run has ended' : 'refused';
    showBanner(opened ? `the connection to the run closed (${e.code})` : 'the inspector refused this page: the token in the address is wrong or missing (see the line pulsewire printed)');
  };
  setInterval(frame, 250);
}

void start();
