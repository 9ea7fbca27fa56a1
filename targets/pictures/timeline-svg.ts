// Draws a Timeline as SVG: the time axis left to right; rows for the ticks,
// the budget each tick used, a lane per connection (events in above its
// state band, commands out below), a step plot per variable, console lines
// and runtime errors. Marks are bucketed per pixel column (the title of a
// mark says what and how many), so the picture's size does not grow with
// the trace. A divergence or a failure is a red line across every row.

import { toText, type Value } from '../../runtime/values.ts';
import { connectionName, type LaneItem, type Timeline } from './timeline.ts';
import { fit, textWidth } from './text-width.ts';
import { BACKDROP, esc, FAULT, FONT, FRAME, INK, MONO, MUTED, num, PAPER } from './style.ts';

const WIDTH = 1200;
const LEFT = 170;
const RIGHT = 24;
const PLOT = WIDTH - LEFT - RIGHT;

const STATE_COLOURS: Record<string, string> = { connecting: '#f59e0b', open: '#16a34a', closed: '#94a3b8', stopped: '#475569' };
const LEVEL_COLOURS: Record<string, string> = { info: '#2563eb', warning: '#d97706', error: FAULT };

/** Colour of a lane item by what it is. */
function itemColour(kind: string): string {
  if (kind === 'dropped' || kind.endsWith('.error')) return FAULT;
  if (kind.endsWith('.open') || kind.endsWith('.subscribed')) return '#16a34a';
  if (kind.endsWith('.close') || kind.endsWith('.stop') || kind.endsWith('.unsubscribed')) return '#475569';
  if (kind.endsWith('.start') || kind.endsWith('.subscribe') || kind.endsWith('.unsubscribe')) return '#d97706';
  if (kind.endsWith('.send') || kind.endsWith('.emit')) return '#7c3aed';
  return '#2563eb'; // messages and events
}

export interface TimelineSvgOptions {
  /** Also list console lines, errors and the divergence under the plot (the .svg output; the page lists them itself). */
  lists?: boolean;
}

export function timelineSvg(t: Timeline, o: TimelineSvgOptions = {}): string {
  const n = t.times.length;
  const t0 = n ? t.times[0] : 0;
  const t1 = n ? t.times[n - 1] : 0;
  const span = Math.max(t1 - t0, 1);
  const x = (time: number) => LEFT + ((time - t0) / span) * PLOT;
  const col = (time: number) => Math.min(PLOT - 1, Math.floor(((time - t0) / span) * PLOT));
  const out: string[] = [];
  let y = 14;
  const h = t.header;
  out.push(`<text x="16" y="${y + 12}" font-size="16" font-weight="bold" fill="${INK}">${esc(h.project)}: ${n ? `ticks ${t.firstTick}–${t.firstTick + n - 1}` : 'no ticks'}</text>`);
  y += 20;
  const sub = `${h.target} · ${h.mode} · ${h.tickRateHz} Hz · ${n} ticks over ${seconds(span)} · schedule ${h.schedule}`;
  out.push(`<text x="16" y="${y + 10}" font-size="11" fill="${MUTED}">${esc(sub)}</text>`);
  y += 22;
  const top = y;
  // Rows are added below; the grid and the marker line are drawn once every row is known.
  const rows: string[] = [];
  const row = (label: string, height: number, body: string, sub?: string) => {
    rows.push(`<g class="row" data-row="${esc(label)}" transform="translate(0 ${num(y)})">` +
      `<text x="16" y="${num(height / 2 + (sub ? 0 : 4))}" font-size="11" font-weight="bold" fill="${INK}">${esc(fit(label, 11, LEFT - 24, true))}</text>` +
      (sub ? `<text x="16" y="${num(height / 2 + 12)}" font-size="9.5" fill="${MUTED}">${esc(fit(sub, 9.5, LEFT - 24))}</text>` : '') +
      `<line x1="${LEFT}" x2="${LEFT + PLOT}" y1="${num(height)}" y2="${num(height)}" stroke="${FRAME}" stroke-width="0.5"/>${body}</g>`);
    y += height;
  };

  // ── ticks ──
  {
    const busy = new Uint8Array(PLOT);
    for (let i = 0; i < n; i++) busy[col(t.times[i])] = Math.max(busy[col(t.times[i])], t.busy[i] ? 2 : 1);
    let body = '';
    for (let c = 0; c < PLOT; c++) if (busy[c]) body += `<rect x="${LEFT + c}" y="${busy[c] === 2 ? 3 : 8}" width="1" height="${busy[c] === 2 ? 12 : 6}" fill="${busy[c] === 2 ? INK : '#cbd5e1'}"/>`;
    row('ticks', 18, body, undefined);
  }
  // ── budget ──
  {
    const max = new Float64Array(PLOT);
    let peak = 0;
    for (let i = 0; i < n; i++) {
      const c = col(t.times[i]);
      if (t.costs[i] > max[c]) max[c] = t.costs[i];
      if (t.costs[i] > peak) peak = t.costs[i];
    }
    const H = 44;
    let body = '';
    if (peak > 0) {
      for (let c = 0; c < PLOT; c++) {
        if (!max[c]) continue;
        const bh = Math.max(1, (max[c] / peak) * (H - 8));
        body += `<rect x="${LEFT + c}" y="${num(H - 2 - bh)}" width="1" height="${num(bh)}" fill="#0f766e"/>`;
      }
      body += `<text x="${LEFT + PLOT - 2}" y="10" font-size="9.5" fill="${MUTED}" text-anchor="end">peak ${peak} per tick</text>`;
    } else body += `<text x="${LEFT + 4}" y="${H / 2 + 4}" font-size="10" fill="${MUTED}">no cost recorded (an older trace, or nothing ran)</text>`;
    row('budget used', H, body, 'instructions per tick');
  }
  // ── connections ──
  for (const conn of [...t.lanes.keys()].sort((a, b) => a - b)) {
    const items = t.lanes.get(conn)!;
    const c = connectionName(t, conn);
    const H = 46;
    const mid = H / 2;
    let body = '';
    // The state band, from what the trace shows: start → connecting, open → open, close → closed, stop → stopped.
    let state = 'closed';
    let since = t0;
    const band = (from: number, to: number, s: string) => {
      if (to <= from && !(to === from && s !== 'closed')) return;
      body += `<rect class="state" data-state="${s}" x="${num(x(from))}" y="${mid - 3}" width="${num(Math.max(1, x(to) - x(from)))}" height="6" fill="${STATE_COLOURS[s]}" opacity="0.85"><title>${s}</title></rect>`;
    };
    for (const it of items) {
      const next = it.kind.endsWith('.start') ? 'connecting' : it.kind.endsWith('.open') ? 'open' : it.kind.endsWith('.close') ? (it.text.includes('"by":"client"') ? 'stopped' : 'closed') : undefined;
      if (next && next !== state) {
        band(since, it.time, state);
        state = next;
        since = it.time;
      }
    }
    band(since, t1, state);
    body += markers(items.filter((i) => i.dir === 'in'), col, mid - 6, 'in');
    body += markers(items.filter((i) => i.dir === 'out'), col, mid + 6, 'out');
    row(c.name, H, body, `${c.kind === 'sio' ? 'Socket.IO' : 'WebSocket'} · ▼ in  ▲ out`);
  }
  // ── variables ──
  for (const name of [...t.vars.keys()].sort()) {
    const changes = t.vars.get(name)!;
    const H = 34;
    row(name, H, stepPlot(changes, x, t1, H), `${changes.length} change${changes.length === 1 ? '' : 's'}`);
  }
  // ── console and errors ──
  {
    const byCol = new Map<number, { level: string; text: string; count: number }>();
    const rank = (l: string) => (l === 'error' ? 2 : l === 'warning' ? 1 : 0);
    for (const l of t.lines) {
      const c = col(l.time);
      const m = byCol.get(c);
      if (!m) byCol.set(c, { level: l.level, text: `tick ${l.tick}: [${l.level}] ${l.text}`, count: 1 });
      else {
        m.count++;
        if (rank(l.level) > rank(m.level)) Object.assign(m, { level: l.level, text: `tick ${l.tick}: [${l.level}] ${l.text}` });
      }
    }
    let body = '';
    for (const [c, m] of byCol) body += `<circle cx="${LEFT + c + 0.5}" cy="15" r="3.5" fill="${LEVEL_COLOURS[m.level] ?? INK}"><title>${esc(m.text)}${m.count > 1 ? ` (and ${m.count - 1} more here)` : ''}</title></circle>`;
    row('console', 30, body, `${t.lines.length} line${t.lines.length === 1 ? '' : 's'}`);
    const errs = new Map<number, { text: string; count: number }>();
    for (const e of t.errors) {
      const c = col(e.time);
      const m = errs.get(c);
      if (m) m.count++;
      else errs.set(c, { text: `tick ${e.tick}: ${e.code}: ${e.text}`, count: 1 });
    }
    body = '';
    for (const [c, m] of errs) body += `<path d="M${LEFT + c - 4} 20L${LEFT + c + 0.5} 10L${LEFT + c + 5} 20Z" fill="${FAULT}"><title>${esc(m.text)}${m.count > 1 ? ` (and ${m.count - 1} more here)` : ''}</title></path>`;
    row('runtime errors', 30, body, `${t.errors.length} error${t.errors.length === 1 ? '' : 's'}`);
  }
  const bottom = y;
  // ── the time axis and grid ──
  const grid: string[] = [];
  for (const v of axisTicks(t0, t1)) {
    grid.push(`<line x1="${num(x(v))}" x2="${num(x(v))}" y1="${top}" y2="${bottom}" stroke="#e2e8f0" stroke-width="1"/>`);
    grid.push(`<text x="${num(x(v))}" y="${bottom + 14}" font-size="10" fill="${MUTED}" text-anchor="middle">${esc(seconds(v))}</text>`);
  }
  y = bottom + 24;
  const mark = t.divergence ?? t.failure;
  if (mark) {
    const mx = num(x(Math.min(Math.max(mark.time, t0), t1)));
    const what = t.divergence ? `first divergence: tick ${mark.tick}` : `failed at tick ${mark.tick}`;
    grid.push(`<line class="marker" x1="${mx}" x2="${mx}" y1="${top - 4}" y2="${bottom}" stroke="${FAULT}" stroke-width="2"/>`);
    grid.push(`<text x="${mx}" y="${top - 6}" font-size="10.5" font-weight="bold" fill="${FAULT}" text-anchor="${Number(mx) > LEFT + PLOT - 160 ? 'end' : 'start'}">${esc(what)}</text>`);
  }
  // ── lists ──
  const lists: string[] = [];
  if (o.lists) {
    const text = (s: string, fill = INK, mono = false, size = 11) => {
      lists.push(`<text x="16" y="${y + 11}" font-size="${size}"${mono ? ` font-family="${MONO}"` : ''} fill="${fill}">${esc(fit(s, size, WIDTH - 32))}</text>`);
      y += size + 5;
    };
    if (t.divergence) {
      const d = t.divergence;
      text(`First divergence at tick ${d.tick} (t=${d.time} ms), ${d.what}`, FAULT, false, 12);
      const half = (WIDTH - 48) / 2;
      lists.push(`<text x="16" y="${y + 11}" font-size="11" font-weight="bold" fill="${INK}">expected (recorded)</text><text x="${16 + half + 16}" y="${y + 11}" font-size="11" font-weight="bold" fill="${INK}">actual (replayed)</text>`);
      y += 16;
      for (let i = 0; i < Math.max(d.expected.length, d.actual.length, 1); i++) {
        const e = d.expected[i] ?? '(nothing)';
        const a = d.actual[i] ?? '(nothing)';
        const fill = e === a ? INK : FAULT;
        lists.push(`<text x="16" y="${y + 10}" font-size="10" font-family="${MONO}" fill="${fill}">${esc(fit(e, 10.5, half))}</text><text x="${16 + half + 16}" y="${y + 10}" font-size="10" font-family="${MONO}" fill="${fill}">${esc(fit(a, 10.5, half))}</text>`);
        y += 14;
      }
      y += 8;
    }
    if (t.failure) {
      for (const line of t.failure.message.split('\n').slice(0, 3)) text(line, FAULT);
      y += 4;
    }
    const entries = [
      ...t.lines.map((l) => ({ tick: l.tick, time: l.time, s: `[${l.level}] ${l.text}`, fill: LEVEL_COLOURS[l.level] ?? INK })),
      ...t.errors.map((e) => ({ tick: e.tick, time: e.time, s: `error ${e.code}: ${e.text}`, fill: FAULT })),
    ].sort((a, b) => a.tick - b.tick);
    if (entries.length) text('Console lines and runtime errors', INK, false, 12);
    for (const e of entries.slice(0, 30)) text(`tick ${e.tick}  ${seconds(e.time - t0)}  ${e.s}`, e.fill, true, 10);
    if (entries.length > 30) text(`… ${entries.length - 30 + t.linesLost} more (the HTML page lists them)`, MUTED);
    y += 6;
  }
  const height = y + 10;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${num(height)}" viewBox="0 0 ${WIDTH} ${num(height)}" font-family="${FONT}">\n` +
    `<rect width="100%" height="100%" fill="${BACKDROP}"/>\n` +
    `<rect x="8" y="${top - 18}" width="${WIDTH - 16}" height="${bottom - top + 40}" rx="8" fill="${PAPER}" stroke="${FRAME}"/>\n` +
    grid.join('') + '\n' + out.join('\n') + '\n' + rows.join('\n') + '\n' + lists.join('\n') + '\n</svg>\n'
  );
}

/** One mark per pixel column per direction, coloured by its most telling item. */
function markers(items: LaneItem[], col: (t: number) => number, y: number, dir: 'in' | 'out'): string {
  const byCol = new Map<number, { first: LaneItem; count: number; colour: string }>();
  for (const it of items) {
    const c = col(it.time);
    const colour = itemColour(it.kind);
    const m = byCol.get(c);
    if (!m) byCol.set(c, { first: it, count: 1, colour });
    else {
      m.count++;
      if (colour === FAULT || (m.colour === '#2563eb' && colour !== '#2563eb')) Object.assign(m, { first: it, colour });
    }
  }
  let s = '';
  for (const [c, m] of byCol) {
    const cx = LEFT + c + 0.5;
    const d = dir === 'in' ? `M${cx - 3.5} ${y - 4}L${cx + 3.5} ${y - 4}L${cx} ${y + 2}Z` : `M${cx - 3.5} ${y + 4}L${cx + 3.5} ${y + 4}L${cx} ${y - 2}Z`;
    s += `<path class="item ${dir}" d="${d}" fill="${m.colour}"><title>${esc(`tick ${m.first.tick}: ${dir === 'in' ? '←' : '→'} ${m.first.text}${m.count > 1 ? ` (and ${m.count - 1} more here)` : ''}`)}</title></path>`;
  }
  return s;
}

/** A variable over time: numbers (and Bools) as a step line scaled to their range; anything else as labelled segments. */
function stepPlot(changes: { time: number; tick: number; value: Value }[], x: (t: number) => number, t1: number, H: number): string {
  const numeric = changes.every((c) => typeof c.value === 'number' || typeof c.value === 'boolean');
  const colour = '#1d4ed8';
  if (numeric) {
    const vals = changes.map((c) => (typeof c.value === 'boolean' ? (c.value ? 1 : 0) : (c.value as number))).map((v) => (Number.isFinite(v) ? v : 0));
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    const yv = (v: number) => (hi === lo ? H / 2 : H - 5 - ((v - lo) / (hi - lo)) * (H - 10));
    let d = '';
    // Bucketed like the marks: per column, the last value set in it (a step plot's shape at this width).
    let lastCol = -1;
    for (let i = 0; i < changes.length; i++) {
      const cx = Math.round(x(changes[i].time));
      const v = yv(vals[i]);
      if (d === '') d = `M${cx} ${num(v)}`;
      else if (cx === lastCol) d = d.replace(/V[\d.-]+$/, '') + `V${num(v)}`;
      else d += `H${cx}V${num(v)}`;
      lastCol = cx;
    }
    d += `H${num(x(t1))}`;
    const label = (v: number) => (typeof changes[0].value === 'boolean' ? (v ? 'true' : 'false') : String(Math.round(v * 100) / 100));
    return `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>` +
      `<text x="${LEFT - 6}" y="9" font-size="9" fill="${MUTED}" text-anchor="end">${esc(label(hi))}</text>` +
      (hi !== lo ? `<text x="${LEFT - 6}" y="${H - 2}" font-size="9" fill="${MUTED}" text-anchor="end">${esc(label(lo))}</text>` : '') +
      `<text x="${num(Math.min(x(changes[changes.length - 1].time) + 4, LEFT + PLOT - 60))}" y="${num(Math.max(10, yv(vals[vals.length - 1]) - 3))}" font-size="9.5" fill="${colour}">${esc(label(vals[vals.length - 1]))}</text>`;
  }
  let s = '';
  for (let i = 0; i < changes.length; i++) {
    const a = x(changes[i].time);
    const b = i + 1 < changes.length ? x(changes[i + 1].time) : x(t1);
    const text = toText(changes[i].value);
    s += `<rect x="${num(a)}" y="${H / 2 - 8}" width="${num(Math.max(1, b - a))}" height="16" fill="${i % 2 ? '#dbeafe' : '#eff6ff'}" stroke="#93c5fd" stroke-width="0.5"><title>${esc(`tick ${changes[i].tick}: ${text}`)}</title></rect>`;
    if (b - a > 24) s += `<text x="${num(a + 3)}" y="${H / 2 + 4}" font-size="10" fill="${INK}">${esc(fit(text || '""', 10, b - a - 6))}</text>`;
  }
  return s;
}

function axisTicks(t0: number, t1: number): number[] {
  const span = Math.max(t1 - t0, 1);
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000];
  const step = steps.find((s) => span / s <= 10) ?? 3600000;
  const out: number[] = [];
  for (let v = Math.ceil(t0 / step) * step; v <= t1 + 1e-9; v += step) out.push(v);
  return out;
}

function seconds(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms * 10) / 10} ms`;
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s * 100) / 100} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

void textWidth;
