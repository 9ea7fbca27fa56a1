// The VM: a pure tick function over a verified schedule.
//
// tick(now), as docs/ARCHITECTURE.md describes the tick:
//   0. finish an event whose listeners the previous tick's budget cut short;
//   1. load the scene a Load Scene asked for (its On Scene Loaded listeners);
//   2. deliver every queued event, in arrival order, to every live listener,
//      in table order (Project scope first, then scenes; node order within),
//      each chain to completion; then report dropped events;
//   3. fire due timers in (due time, start order);
//   4. return the outputs (commands, console lines, variable changes, errors)
//      in emission order — the host hands commands to the bindings.
// No I/O, no clock, no randomness but the seeded one. A budget of
// instructions bounds each tick; when it runs out the running chain stops
// with an error and what is left waits for the next tick (nothing is lost).

import { OPS, type OpName } from '../schedule/opcodes.ts';
import { EVENT_KINDS, type EventEntry, type Schedule } from '../schedule/schedule.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import { coerce, sameValue, toText, encodeUtf8, decodeUtf8, typeName, type Value } from '../values.ts';
import { SeededRandom } from '../random.ts';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';
import { CONSOLE_LEVELS, type InEvent, type Output, type ClosedBy } from './io.ts';
import { EventQueue } from './queue.ts';
import { TimerSet, type Timer } from './timers.ts';
import * as slow from './slow-ops.ts';
import { VmError } from './slow-ops.ts';

type OpCode = (typeof OPS)[OpName]['code'];
/**
 * The code of opcode `N` as a literal type. The interpreter's cases are written
 * `case 0x10 satisfies Op<'MOV'>:`, a number that the type check holds to the
 * table, not `case OP.MOV:`: V8 does not fold `OP.MOV` into a constant there,
 * so every dispatch compared the opcode against property loads case after
 * case (callgrind: 611 → 320 instructions per executed node of the bench's
 * generated graphs). A wrong number is a type error; a missing case is one
 * too (the `never` in the default).
 */
type Op<N extends OpName> = (typeof OPS)[N]['code'];

/** An internal event: the scene switch a Load Scene asked for. */
type Delivery = InEvent | { kind: 'scene'; conn: -1; scene: number };

/** Chains a tick reports as run, at most (the rest ran too, uncounted: a picture needs no more). */
export const RAN_CAP = 64;

export interface VmOptions {
  /** Overrides of the schedule's limits (a board profile's, a test's). */
  limits?: Partial<Limits>;
}

export class Vm {
  readonly limits: Limits;
  private readonly code: Int32Array;
  private readonly regs: Value[];
  private readonly vars: Value[];
  private readonly queue: EventQueue;
  private readonly timers: TimerSet;
  private readonly rng: SeededRandom;
  private readonly stack: Int32Array;
  /** Listeners by event kind and key (connection or scene), in table order. */
  private readonly listeners = new Map<number, EventEntry[]>();
  private scene = -1;
  private pendingScene: number | undefined;
  private resume: { ev: Delivery; list: EventEntry[]; next: number } | undefined;
  private tickNo = 0;
  private now = 0;
  private out: Output[] = [];
  private budget = 0;
  private exhausted = false;
  private changed = false;
  private outputsFull = false;
  /** Entry pcs of the chains this tick ran (the first RAN_CAP of them): for the timeline and the inspector. */
  private readonly ran: number[] = [];

  constructor(readonly schedule: Schedule, opts: VmOptions = {}) {
    this.limits = resolveLimits(schedule.meta.limits, opts.limits);
    this.code = schedule.code;
    // Array.from, not new Array(n).fill(): a packed array, whose loads need no hole checks.
    this.regs = Array.from({ length: schedule.regCount }, () => null);
    for (let i = 0; i < schedule.regInit.length; i += 2) this.regs[schedule.regInit[i]] = schedule.consts[schedule.regInit[i + 1]];
    this.vars = schedule.variables.map((v) => schedule.consts[v.init]);
    this.queue = new EventQueue(this.limits.queueCapacity, schedule.connections.length);
    this.timers = new TimerSet(this.limits.timers);
    this.rng = new SeededRandom(schedule.meta.randomSeed);
    this.stack = new Int32Array(this.limits.callDepth);
    for (const e of schedule.events) {
      const k = listenerKey(e.kind, e.kind === EVENT_KINDS.SceneLoaded ? -1 : e.key);
      let list = this.listeners.get(k);
      if (!list) this.listeners.set(k, (list = []));
      list.push(e);
    }
    this.pendingScene = schedule.meta.startScene; // the boot: the start scene loads in the first tick
  }

  // ── the host's side ──────────────────────────────────────────────────

  /** Queues an event for the next tick; false (and counted, and reported) when the queue is full. */
  post(ev: InEvent): boolean {
    return this.queue.push(ev);
  }

  /** Runs one tick at logical time `now` (ms) and returns its outputs in emission order. */
  tick(now: number): Output[] {
    this.tickNo++;
    this.now = now;
    this.out = [];
    this.budget = this.limits.tickBudget;
    this.exhausted = false;
    this.outputsFull = false;
    this.ran.length = 0;
    if (this.resume) {
      const r = this.resume;
      this.resume = undefined;
      this.deliverTo(r.ev, r.list, r.next);
    }
    if (!this.exhausted && this.pendingScene !== undefined) {
      const s = this.pendingScene;
      this.pendingScene = undefined;
      this.deliver({ kind: 'scene', conn: -1, scene: s });
    }
    let ev: InEvent | undefined;
    while (!this.exhausted && (ev = this.queue.shift())) this.deliver(ev);
    if (!this.exhausted && this.queue.droppedTotal > 0) this.reportDropped();
    let t: Timer | undefined;
    while (!this.exhausted && (t = this.timers.takeDue(now, this.tickNo))) this.fire(t);
    return this.out;
  }

  /**
   * Counts `count` events of connection `conn` that a queue outside the VM
   * refused (the QuickJS host queues events on its side of the sandbox and
   * posts them once per tick). They are reported exactly like the VM's own
   * overflow, so the count reaches the graph and the host on every target.
   */
  noteDropped(conn: number, count: number): void {
    const q = this.queue;
    if (!(conn >= 0 && conn < q.dropped.length && count > 0)) return;
    q.dropped[conn] += count;
    q.droppedTotal += count;
  }

  /** Events waiting in the inbound queue (left over when a tick's budget ran out); an outside queue keeps room for them. */
  get queued(): number {
    return this.queue.length;
  }

  /** True when a tick now would have something to do besides timers. */
  hasPendingWork(): boolean {
    return this.queue.length > 0 || this.resume !== undefined || this.pendingScene !== undefined || this.queue.droppedTotal > 0;
  }

  /** The earliest timer due time, for a host that sleeps until then. */
  nextDue(): number | undefined {
    return this.timers.nextDue();
  }

  get ticks(): number {
    return this.tickNo;
  }

  /** The last tick's cost (budget charged) and the entry pcs of the chains it ran (a reused array). */
  lastTick(): { cost: number; chains: readonly number[] } {
    return { cost: this.limits.tickBudget - this.budget, chains: this.ran };
  }

  get loadedScene(): string | undefined {
    return this.scene < 0 ? undefined : this.schedule.scenes[this.scene];
  }

  /** A variable's current value by its qualified name (`speed`, `Dashboard/speed`). */
  variable(name: string): Value | undefined {
    const i = this.schedule.variables.findIndex((v) => v.name === name);
    return i < 0 ? undefined : this.vars[i];
  }

  /** Every variable, by qualified name. */
  variables(): Record<string, Value> {
    const out: Record<string, Value> = {};
    this.schedule.variables.forEach((v, i) => (out[v.name] = this.vars[i]));
    return out;
  }

  // ── delivery ─────────────────────────────────────────────────────────

  private deliver(ev: Delivery): void {
    if (ev.kind === 'scene') this.switchScene(ev.scene);
    const list = this.listenersOf(ev);
    if (list.length === 0) {
      this.unhandled(ev);
      return;
    }
    this.deliverTo(ev, list, 0);
  }

  private deliverTo(ev: Delivery, list: EventEntry[], from: number): void {
    for (let i = from; i < list.length; i++) {
      const e = list[i];
      if (e.scene >= 0 && e.scene !== this.scene) continue;
      if (ev.kind === 'scene' && e.key >= 0 && e.key !== ev.scene) continue;
      this.writePayload(ev, e);
      this.run(e.pc);
      if (this.exhausted) {
        if (i + 1 < list.length) this.resume = { ev, list, next: i + 1 };
        return;
      }
    }
  }

  private listenersOf(ev: Delivery): EventEntry[] {
    const K = EVENT_KINDS;
    let kind: number;
    switch (ev.kind) {
      case 'scene': return this.listeners.get(listenerKey(K.SceneLoaded, -1)) ?? NONE;
      case 'ws.open': kind = K.WsStart; break;
      case 'ws.close': kind = K.WsStop; break;
      case 'ws.message': kind = K.WsReceive; break;
      case 'ws.error': kind = K.WsError; break;
      case 'sio.open': kind = K.SioStart; break;
      case 'sio.close': kind = K.SioStop; break;
      case 'sio.event': kind = K.SioReceive; break;
      case 'sio.error': kind = K.SioError; break;
      case 'sio.subscribed': kind = K.SioSubscribe; break;
      case 'sio.unsubscribed': kind = K.SioUnsubscribe; break;
    }
    return this.listeners.get(listenerKey(kind, ev.conn)) ?? NONE;
  }

  private writePayload(ev: Delivery, e: EventEntry): void {
    const R = this.regs;
    const r = e.regs;
    switch (ev.kind) {
      case 'ws.message': {
        const d = ev.data;
        R[r[0]] = e.flags & 1 ? (typeof d === 'string' ? encodeUtf8(d) : d) : typeof d === 'string' ? d : decodeUtf8(d);
        break;
      }
      case 'ws.error': R[r[0]] = ev.message; R[r[1]] = ev.code; break;
      case 'ws.close': R[r[0]] = ev.code; R[r[1]] = closeReason(ev.by, ev.reason); break;
      case 'sio.close': R[r[0]] = closeReason(ev.by, ev.reason); break;
      case 'sio.event': R[r[0]] = ev.ns; R[r[1]] = ev.event; R[r[2]] = ev.message; break;
      case 'sio.error': R[r[0]] = ev.ns; R[r[1]] = ev.message; R[r[2]] = ev.code; break;
      case 'sio.subscribed': case 'sio.unsubscribed': R[r[0]] = ev.ns; R[r[1]] = ev.event; break;
      default: break;
    }
  }

  /** An error nobody listens to still reaches the host, as an error output. */
  private unhandled(ev: Delivery): void {
    if (ev.kind === 'ws.error' || ev.kind === 'sio.error') {
      const conn = this.schedule.connections[ev.conn]?.name ?? `connection ${ev.conn}`;
      this.emit({ kind: 'error', code: ev.code, message: ev.message.includes(conn) ? ev.message : `${conn}: ${ev.message}` });
    }
  }

  private reportDropped(): void {
    const q = this.queue;
    for (let c = 0; c < q.dropped.length; c++) {
      const n = q.dropped[c];
      if (n === 0) continue;
      q.dropped[c] = 0;
      const message = `${n} event${n === 1 ? '' : 's'} dropped: the inbound queue (capacity ${q.capacity}) was full`;
      const ev: InEvent = this.schedule.connections[c].kind === 'ws'
        ? { kind: 'ws.error', conn: c, code: 'queue_overflow', message }
        : { kind: 'sio.error', conn: c, ns: '/', code: 'queue_overflow', message };
      const list = this.listenersOf(ev);
      // Always visible to the host too, listener or not.
      this.emit({ kind: 'error', code: 'queue_overflow', message: `${this.schedule.connections[c].name}: ${message}` });
      if (list.length) this.deliverTo(ev, list, 0);
      if (this.exhausted) break;
    }
    q.droppedTotal = q.dropped.reduce((a, b) => a + b, 0);
  }

  private switchScene(s: number): void {
    // The outgoing scene's timers go, also when a scene reloads itself: it restarts from its initial
    // variables below, and its On Scene Loaded would start its timers a second time beside the old ones.
    if (this.scene >= 0) this.timers.dropOwner(this.scene + 1);
    this.scene = s;
    // A loaded scene starts from its variables' initial values.
    this.schedule.variables.forEach((v, i) => {
      if (v.scene !== s || s < 0) return;
      const init = this.schedule.consts[v.init];
      if (!sameValue(this.vars[i], init)) {
        this.vars[i] = init;
        // Not emit(): past outputsPerTick it throws, and here (outside any chain) that escaped tick(),
        // losing the scene's On Scene Loaded and the tick's events. These outputs are bounded by the
        // schedule's own variable count, so they are exempt from the per-tick limit.
        this.out.push({ kind: 'var', name: v.name, value: init });
      }
    });
  }

  private fire(t: Timer): void {
    // `repeat`, not `period > 0`: a zero-second Start Interval used to look like a timeout and fired only once.
    if (t.repeat) this.timers.rearm(t, this.now, this.tickNo);
    this.run(t.firePc);
  }

  // ── outputs and errors ───────────────────────────────────────────────

  private emit(o: Output): void {
    if (this.out.length >= this.limits.outputsPerTick && o.kind !== 'error') {
      throw new VmError('outputs_full', `more than ${this.limits.outputsPerTick} outputs in one tick`);
    }
    this.out.push(o);
  }

  private fail(pc: number, code: ErrorCode, message: string): void {
    if (code === 'outputs_full') {
      if (this.outputsFull) return;
      this.outputsFull = true;
    }
    const node = this.nodeAt(pc);
    this.out.push({ kind: 'error', code, message: `${node}: ${message}`, node });
  }

  /** `scope/node` for a pc from the debug map, or `pc N` when it was stripped. */
  nodeAt(pc: number): string {
    const d = this.schedule.debug;
    if (!d || d.pcs.length === 0 || pc < d.pcs[0]) return `pc ${pc}`;
    let lo = 0;
    let hi = d.pcs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (d.pcs[mid] <= pc) lo = mid;
      else hi = mid - 1;
    }
    return d.nodes[lo];
  }

  // ── the interpreter ──────────────────────────────────────────────────

  /** Runs one chain from `start` until RET with an empty call stack, an error, or the end of the budget. */
  private run(start: number): void {
    const code = this.code;
    const R = this.regs;
    const stack = this.stack;
    let pc = start;
    let sp = 0;
    let budget = this.budget;
    if (this.ran.length < RAN_CAP) this.ran.push(start);
    try {
      for (;;) {
        if (--budget < 0) {
          this.budget = 0;
          this.exhausted = true;
          this.fail(pc, 'budget', `the tick budget of ${this.limits.tickBudget} instructions ran out here; this chain was stopped`);
          return;
        }
        const op = code[pc] as OpCode;
        switch (op) {
          // The frequent instructions first. V8 dispatches through a jump table whatever the order, but
          // QuickJS tests the cases one after the other: an instruction near the end cost some 60
          // comparisons per dispatch there (bench: quickjs VM ns per node).
          case 0x48 satisfies Op<'VGET'>: R[code[pc + 1]] = this.vars[code[pc + 2]]; pc += 3; break;
          case 0x49 satisfies Op<'VSET'>: {
            const v = code[pc + 1];
            const value = R[code[pc + 2]];
            const old = this.vars[v];
            // sameValue() inline for the common case, two primitives: unequal, unless both are NaN.
            this.changed = old !== value && (typeof old === 'object' || typeof value === 'object' ? !sameValue(old, value) : old === old || value === value);
            if (this.changed) {
              // Output first: past outputsPerTick emit() stops the chain, and the variable must then keep
              // the value the host last saw.
              this.emit({ kind: 'var', name: this.schedule.variables[v].name, value });
              this.vars[v] = value;
            }
            pc += 3;
            break;
          }
          case 0x10 satisfies Op<'MOV'>: R[code[pc + 1]] = R[code[pc + 2]]; pc += 3; break;
          case 0x04 satisfies Op<'JT'>: pc = R[code[pc + 1]] ? code[pc + 2] : pc + 3; break;
          case 0x05 satisfies Op<'JF'>: pc = R[code[pc + 1]] ? pc + 3 : code[pc + 2]; break;
          case 0x02 satisfies Op<'JMP'>: pc = code[pc + 1]; break;
          case 0x01 satisfies Op<'RET'>:
            if (sp === 0) { this.budget = budget; return; }
            pc = stack[--sp];
            break;
          case 0x03 satisfies Op<'CALL'>:
            if (sp === stack.length) throw new VmError('call_depth', `calls nested deeper than ${stack.length}`);
            stack[sp++] = pc + 2;
            pc = code[pc + 1];
            break;
          case 0x20 satisfies Op<'ADD'>: R[code[pc + 1]] = (R[code[pc + 2]] as number) + (R[code[pc + 3]] as number); pc += 4; break;
          case 0x21 satisfies Op<'SUB'>: R[code[pc + 1]] = (R[code[pc + 2]] as number) - (R[code[pc + 3]] as number); pc += 4; break;
          case 0x22 satisfies Op<'MUL'>: R[code[pc + 1]] = (R[code[pc + 2]] as number) * (R[code[pc + 3]] as number); pc += 4; break;
          case 0x17 satisfies Op<'GE'>: R[code[pc + 1]] = (R[code[pc + 2]] as number) >= (R[code[pc + 3]] as number); pc += 4; break;
          case 0x18 satisfies Op<'LE'>: R[code[pc + 1]] = (R[code[pc + 2]] as number) <= (R[code[pc + 3]] as number); pc += 4; break;
          case 0x16 satisfies Op<'EQ'>: R[code[pc + 1]] = sameValue(R[code[pc + 2]], R[code[pc + 3]]); pc += 4; break;
          case 0x11 satisfies Op<'CONV'>: {
            const c = coerce(R[code[pc + 2]], typeName(code[pc + 3])!);
            if (!c.ok) throw new VmError('conversion', c.why);
            R[code[pc + 1]] = c.value;
            pc += 4;
            break;
          }
          case 0x31 satisfies Op<'FORMAT'>: {
            const n = code[pc + 3];
            R[code[pc + 1]] = slow.format(R[code[pc + 2]], R, code, pc + 4, n, this.limits.maxStringLength);
            pc += 4 + n;
            break;
          }
          case 0x30 satisfies Op<'CONCAT'>:
            R[code[pc + 1]] = slow.checkLength(toText(R[code[pc + 2]]) + toText(R[code[pc + 3]]), this.limits.maxStringLength);
            pc += 4;
            break;
          case 0x62 satisfies Op<'WSSEND'>: {
            const v = R[code[pc + 2]];
            const data = code[pc + 3] === 1
              ? (v instanceof Uint8Array ? v : encodeUtf8(toText(v)))
              : (v instanceof Uint8Array ? decodeUtf8(v) : toText(v));
            this.emit({ kind: 'ws.send', conn: code[pc + 1], data });
            pc += 4;
            break;
          }
          case 0x6a satisfies Op<'SIOEMIT'>:
            this.emit({ kind: 'sio.emit', conn: code[pc + 1], ns: nsOf(R[code[pc + 2]]), event: toText(R[code[pc + 3]]), message: toText(R[code[pc + 4]]) });
            pc += 5;
            break;
          case 0x08 satisfies Op<'JNSCENE'>: pc = this.scene !== code[pc + 1] ? code[pc + 2] : pc + 3; break;
          case 0x09 satisfies Op<'JNCHG'>: pc = this.changed ? pc + 2 : code[pc + 1]; break;
          case 0x13 satisfies Op<'NOT'>: R[code[pc + 1]] = !R[code[pc + 2]]; pc += 3; break;
          case 0x14 satisfies Op<'AND'>: R[code[pc + 1]] = !!R[code[pc + 2]] && !!R[code[pc + 3]]; pc += 4; break;
          case 0x15 satisfies Op<'OR'>: R[code[pc + 1]] = !!R[code[pc + 2]] || !!R[code[pc + 3]]; pc += 4; break;
          case 0x19 satisfies Op<'SELECT'>: R[code[pc + 1]] = R[code[pc + 2]] ? R[code[pc + 3]] : R[code[pc + 4]]; pc += 5; break;
          case 0x07 satisfies Op<'JEQ'>: pc = sameValue(R[code[pc + 1]], R[code[pc + 2]]) ? code[pc + 3] : pc + 4; break;
          case 0x06 satisfies Op<'JGT'>: pc = (R[code[pc + 1]] as number) > (R[code[pc + 2]] as number) ? code[pc + 3] : pc + 4; break;
          case 0x12 satisfies Op<'INC'>: R[code[pc + 1]] = (R[code[pc + 1]] as number) + 1; pc += 2; break;
          // the others, by family
          // control
          case 0x00 satisfies Op<'NOP'>: pc += 1; break;
          // math
          case 0x23 satisfies Op<'DIV'>: {
            const b = R[code[pc + 3]] as number;
            if (b === 0) throw new VmError('division_by_zero', 'Divide by zero');
            R[code[pc + 1]] = (R[code[pc + 2]] as number) / b;
            pc += 4;
            break;
          }
          case 0x24 satisfies Op<'MOD'>: {
            const b = R[code[pc + 3]] as number;
            if (b === 0) throw new VmError('division_by_zero', 'Modulo by zero');
            R[code[pc + 1]] = (R[code[pc + 2]] as number) % b;
            pc += 4;
            break;
          }
          case 0x25 satisfies Op<'MIN'>: R[code[pc + 1]] = Math.min(R[code[pc + 2]] as number, R[code[pc + 3]] as number); pc += 4; break;
          case 0x26 satisfies Op<'MAX'>: R[code[pc + 1]] = Math.max(R[code[pc + 2]] as number, R[code[pc + 3]] as number); pc += 4; break;
          case 0x27 satisfies Op<'CLAMP'>:
            R[code[pc + 1]] = Math.min(Math.max(R[code[pc + 2]] as number, R[code[pc + 3]] as number), R[code[pc + 4]] as number);
            pc += 5;
            break;
          case 0x28 satisfies Op<'RMAP'>: {
            const x = R[code[pc + 2]] as number, a = R[code[pc + 3]] as number, b = R[code[pc + 4]] as number;
            const c = R[code[pc + 5]] as number, d = R[code[pc + 6]] as number;
            if (a === b) throw new VmError('division_by_zero', 'Range Mapper: In Min equals In Max');
            R[code[pc + 1]] = c + ((x - a) * (d - c)) / (b - a);
            pc += 7;
            break;
          }
          case 0x29 satisfies Op<'ROUND'>: { const x = R[code[pc + 2]] as number; R[code[pc + 1]] = Math.sign(x) * Math.round(Math.abs(x)); pc += 3; break; }
          case 0x2a satisfies Op<'FLOOR'>: R[code[pc + 1]] = Math.floor(R[code[pc + 2]] as number); pc += 3; break;
          case 0x2b satisfies Op<'CEIL'>: R[code[pc + 1]] = Math.ceil(R[code[pc + 2]] as number); pc += 3; break;
          case 0x2c satisfies Op<'ABS'>: R[code[pc + 1]] = Math.abs(R[code[pc + 2]] as number); pc += 3; break;
          case 0x2e satisfies Op<'TRUNC'>: R[code[pc + 1]] = Math.trunc(R[code[pc + 2]] as number); pc += 3; break;
          case 0x2d satisfies Op<'RAND'>: {
            const lo = R[code[pc + 2]] as number, hi = R[code[pc + 3]] as number;
            const u = this.rng.next();
            // Integer: one of the whole numbers ceil(lo)..floor(hi). Offset from ceil(lo), not lo, or a Min
            // that is not whole (0.5) could give floor(lo) (0), outside [Min, Max].
            R[code[pc + 1]] = code[pc + 4] === 1 ? Math.ceil(lo) + Math.floor(u * (Math.floor(hi) - Math.ceil(lo) + 1)) : lo + u * (hi - lo);
            pc += 5;
            break;
          }
          // strings
          case 0x32 satisfies Op<'CONTAINS'>: R[code[pc + 1]] = toText(R[code[pc + 2]]).includes(toText(R[code[pc + 3]])); pc += 4; break;
          case 0x33 satisfies Op<'LEN'>: R[code[pc + 1]] = slow.length(R[code[pc + 2]]); pc += 3; break;
          case 0x34 satisfies Op<'SPLIT'>: R[code[pc + 1]] = toText(R[code[pc + 2]]).split(toText(R[code[pc + 3]])); pc += 4; break;
          case 0x35 satisfies Op<'REPLACE'>:
            R[code[pc + 1]] = slow.replaceAll(toText(R[code[pc + 2]]), toText(R[code[pc + 3]]), toText(R[code[pc + 4]]), this.limits.maxStringLength);
            pc += 5;
            break;
          case 0x36 satisfies Op<'SUBSTR'>: R[code[pc + 1]] = slow.substring(toText(R[code[pc + 2]]), R[code[pc + 3]] as number, R[code[pc + 4]] as number); pc += 5; break;
          case 0x37 satisfies Op<'LOWER'>: R[code[pc + 1]] = toText(R[code[pc + 2]]).toLowerCase(); pc += 3; break;
          case 0x38 satisfies Op<'UPPER'>: R[code[pc + 1]] = toText(R[code[pc + 2]]).toUpperCase(); pc += 3; break;
          case 0x39 satisfies Op<'TRIM'>: R[code[pc + 1]] = toText(R[code[pc + 2]]).trim(); pc += 3; break;
          case 0x3a satisfies Op<'JPARSE'>: {
            const v = slow.parseJson(R[code[pc + 3]]);
            R[code[pc + 1]] = v;
            R[code[pc + 2]] = Array.isArray(v);
            pc += 4;
            break;
          }
          case 0x3b satisfies Op<'JSTR'>: R[code[pc + 1]] = slow.stringify(R[code[pc + 2]]); pc += 3; break;
          // dictionaries
          case 0x40 satisfies Op<'DGET'>: {
            const [v, found] = slow.dictGet(R[code[pc + 3]], R[code[pc + 4]]);
            R[code[pc + 1]] = v;
            R[code[pc + 2]] = found;
            pc += 5;
            break;
          }
          case 0x41 satisfies Op<'DSET'>: R[code[pc + 1]] = slow.dictSet(R[code[pc + 2]], R[code[pc + 3]], R[code[pc + 4]]); pc += 5; break;
          case 0x42 satisfies Op<'DKEYS'>: R[code[pc + 1]] = slow.dictKeys(R[code[pc + 2]]); pc += 3; break;
          // effects
          case 0x50 satisfies Op<'CONSOLE'>: this.emit({ kind: 'console', level: CONSOLE_LEVELS[code[pc + 1]], text: toText(R[code[pc + 2]]) }); pc += 3; break;
          case 0x51 satisfies Op<'ASSERT'>:
            if (!R[code[pc + 1]]) throw new VmError('assert', `Assert failed: ${toText(R[code[pc + 2]])}`);
            pc += 3;
            break;
          case 0x52 satisfies Op<'LOADSCENE'>: this.pendingScene = code[pc + 1]; pc += 2; break;
          case 0x53 satisfies Op<'TSTART'>: {
            const seconds = R[code[pc + 2]] as number;
            const ms = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
            const interval = code[pc + 5] === 1;
            const id = this.timers.start(this.now + ms, interval ? ms : 0, interval, code[pc + 3], code[pc + 4], code[pc + 6], this.tickNo);
            if (id === 0) throw new VmError('timers_full', `more than ${this.limits.timers} timers at once`);
            R[code[pc + 1]] = id;
            pc += 7;
            break;
          }
          case 0x54 satisfies Op<'TCANCEL'>: {
            const t = this.timers.cancel(R[code[pc + 1]] as number);
            pc += 2;
            if (t) {
              if (sp === stack.length) throw new VmError('call_depth', `calls nested deeper than ${stack.length}`);
              stack[sp++] = pc;
              pc = t.cancelPc;
            }
            break;
          }
          case 0x60 satisfies Op<'WSSTART'>: this.emit({ kind: 'ws.start', conn: code[pc + 1] }); pc += 2; break;
          case 0x61 satisfies Op<'WSSTOP'>: this.emit({ kind: 'ws.stop', conn: code[pc + 1] }); pc += 2; break;
          case 0x68 satisfies Op<'SIOSTART'>: this.emit({ kind: 'sio.start', conn: code[pc + 1] }); pc += 2; break;
          case 0x69 satisfies Op<'SIOSTOP'>: this.emit({ kind: 'sio.stop', conn: code[pc + 1] }); pc += 2; break;
          case 0x6b satisfies Op<'SIOSUB'>:
            this.emit({ kind: 'sio.subscribe', conn: code[pc + 1], ns: nsOf(R[code[pc + 2]]), event: toText(R[code[pc + 3]]) });
            pc += 4;
            break;
          case 0x6c satisfies Op<'SIOUNSUB'>:
            this.emit({ kind: 'sio.unsubscribe', conn: code[pc + 1], ns: nsOf(R[code[pc + 2]]), event: toText(R[code[pc + 3]]) });
            pc += 4;
            break;
          default: {
            // Unreachable for a verified schedule; the `never` makes a missing opcode a type error.
            const missing: never = op;
            throw new VmError('internal', `unknown opcode ${missing as number}`);
          }
        }
      }
    } catch (e) {
      this.budget = Math.max(budget, 0);
      if (e instanceof VmError) this.fail(pc, e.code, e.message);
      else this.fail(pc, 'internal', `${ERROR_CODES.internal}: ${(e as Error)?.message ?? String(e)}`);
    }
  }
}

const NONE: EventEntry[] = [];
const listenerKey = (kind: number, key: number): number => kind * 0x10000 + (key + 1);
/** A namespace as Socket.IO names it: '' means the main namespace. */
const nsOf = (v: Value): string => {
  const s = toText(v);
  return s === '' ? '/' : s.startsWith('/') ? s : '/' + s;
};
function closeReason(by: ClosedBy, reason: string): string {
  const who = by === 'client' ? 'closed by the client' : by === 'server' ? 'closed by the server' : 'connection lost';
  return reason ? `${who}: ${reason}` : who;
}
