// The host side of the QuickJS sandbox: a TickEngine whose VM runs in a
// QuickJS context (dist/guest.js), driven through the ABI of
// bindings/quickjs/abi.ts (docs/HOST-ABI.md). The runner sees the same
// post / tick / hasPendingWork / nextDue / variables as with the in-process
// VM; the transports stay on the host.
//
// Per tick: the events posted since the last tick wait in a host-side
// bounded queue; tick(now) hands them over in one call (JSON + one binary
// buffer), which runs the tick and returns all its outputs. Nothing calls
// back into the host: the guest's context has the ECMAScript built-ins and
// the three functions it defines, nothing else.
//
// Limits, each stopping the guest with an `error` output that names it, after
// which the engine refuses to tick (the host process carries on; a new
// engine starts clean):
//   - stack: setMaxStackSize(48 KiB), ~280 guest frames. In wasm, QuickJS's
//     C recursion also runs on the host's native stack: JSON.stringify of a
//     deeply nested value overflowed Node's stack before QuickJS's own check
//     at 128 KiB and more (docs/QUICKJS.md), which leaves the runtime
//     corrupt. 48 KiB keeps QuickJS's check first, with room for a deep host
//     stack; should the host's stack still overflow inside the guest, the
//     runtime is treated as broken;
//   - memory: QuickJS's setMemoryLimit counts 8 bytes per live allocation
//     in this build (plus the size of the one being made), not bytes, so it
//     is only a coarse backstop (an out-of-memory error for a single block
//     larger than the budget, or far past it); the budget itself is
//     checked with computeMemoryUsage after the load, every
//     memoryCheckTicks ticks and whenever the wasm memory has grown. A
//     check walks the whole heap (~45 µs + 0.15 µs per KiB), so by default
//     a big heap is checked less often (every used / 16 KiB ticks, at least
//     16): what checking costs a tick then stays flat, not growing with the
//     graph (bench: a 10-node tick in a 10,000-node graph);
//   - time: an interrupt handler stops a call that runs past
//     tickTimeLimitMs (QuickJS asks it every ~10,000 jumps and calls, so
//     one long built-in — a Replace over a 1 MB string — can overrun it).
// After an out-of-memory, an interrupt or a host exception inside the guest
// the runtime is discarded, never disposed: a broken heap can abort in its
// own free.

import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { InEvent, Output, RuntimeError } from '../../runtime/vm/io.ts';
import type { Value } from '../../runtime/values.ts';
import type { TickEngine, TickStats } from '../types.ts';
import type { HostLog } from '../types.ts';
import { encode } from '../../runtime/schedule/index.ts';
import { EventQueue } from '../../runtime/vm/queue.ts';
import { resolveLimits, type Limits } from '../../runtime/limits.ts';
import {
  ABI_VERSION, BOX_INITIAL_BYTES, GUEST_FN, IN, OUT, REPLY_FLAGS, BoxReader, BoxWriter, crossesAsIs, growableBox,
  type Box, type GuestState, type LoadResult,
} from './abi.ts';
import { quickJsLoaded, type QuickJsModule } from './module.ts';

export interface QuickJsEngineOptions {
  /** Overrides of the schedule's limits, as for the Node target. */
  limits?: Partial<Limits>;
  /** The guest's memory budget, measured as QuickJS counts it (computeMemoryUsage's memory_used_size). Default 16 MiB. */
  memoryLimitBytes?: number;
  /**
   * How long one tick may run in the sandbox. Default 5000 ms: a backstop. The instruction budget
   * should stop a runaway chain first (recoverably): keep tickBudget × the cost of an instruction
   * (~0.3 µs in QuickJS on a desktop CPU, docs/QUICKJS.md) well below it.
   */
  tickTimeLimitMs?: number;
  /** Ticks between two memory checks (a check costs ~45 µs + 0.15 µs per KiB of heap). Default 16, or used / 16 KiB for a bigger heap. */
  memoryCheckTicks?: number;
  /** The wasm module; default the process's shared one. Tests pass a TestQuickJSWASMModule to check for leaks. */
  module?: QuickJsModule;
  /** The guest bundle's source; default the shared one (dist/guest.js). */
  guestSource?: string;
  log?: HostLog;
  /** Throw when disposing fails (the library's leak assertion) instead of logging it: for tests. */
  strictDispose?: boolean;
}

/** Default check interval: one tick per this many bytes of guest heap (at least memoryCheckTicks). */
const MEMORY_CHECK_BYTES_PER_TICK = 16 << 10;

export const QUICKJS_DEFAULTS = {
  memoryLimitBytes: 16 << 20,
  tickTimeLimitMs: 5000,
  memoryCheckTicks: 16,
  stackBytes: 48 << 10,
  /** Evaluating the guest and loading the schedule may take longer than a tick on a slow board. */
  loadTimeLimitMs: 10_000,
} as const;

/** What the guest may use: no Date (the VM reads no clock), no Promise (the guest stays synchronous, so no job can outlive a call), no Proxy. */
const GUEST_INTRINSICS = { BaseObjects: true, Eval: true, JSON: true, RegExp: true, MapSet: true, TypedArrays: true };

type FatalCode = 'memory_limit' | 'time_limit' | 'internal';
interface Fatal {
  code: FatalCode;
  /** What happened, as a clause ("…; it was stopped" is added to the error output). */
  message: string;
  /** Out of memory or interrupted: the runtime is discarded, not disposed. */
  broken: boolean;
}
type Entered<T> = { ok: true; value: T } | { ok: false; fatal: Fatal };

/** The bytes of `b` in an ArrayBuffer of their own: newArrayBuffer copies a whole buffer, and a Node Buffer's may be an 8 KiB pool slab. */
const exactBuffer = (b: Uint8Array): ArrayBuffer =>
  (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : b.slice().buffer) as ArrayBuffer;

const mib = (n: number): string => `${(n / (1 << 20)).toFixed(n < 1 << 20 ? 2 : 1)} MiB`;

export class QuickJsEngine implements TickEngine {
  readonly limits: Limits;
  readonly memoryLimitBytes: number;
  readonly tickTimeLimitMs: number;
  private readonly memoryCheckTicks: number;
  /** memoryCheckTicks not given: the interval follows the heap's size. */
  private readonly memoryCheckScales: boolean;
  /** Ticks until the next memory check is due. */
  private checkEvery: number;
  private readonly queue: EventQueue;
  private readonly log: HostLog | undefined;
  private readonly strictDispose: boolean;
  private readonly wasmMemory: ReturnType<QuickJsModule['getWasmMemory']>;
  private rt: QuickJSRuntime | undefined;
  private ctx: QuickJSContext | undefined;
  /** The only guest handles the host keeps: the two functions it calls after loading. */
  private fnTick: QuickJSHandle | undefined;
  private fnVariables: QuickJSHandle | undefined;
  private fnBox: QuickJSHandle | undefined;
  private fnEscaped: QuickJSHandle | undefined;
  /** Where the guest's box is in wasm memory, and its size (the guest owns it; see installBox). */
  private boxAt = 0;
  private boxBytes = 0;
  /** Views of the box, remade when the wasm memory grew (its ArrayBuffer is then a new one). */
  private boxWords = new Float64Array(0);
  private boxView = new Uint8Array(0);
  private boxViewsOf: ArrayBuffer | undefined;
  /** Where a tick's input is written before it goes into the box in one piece. */
  private readonly scratch: Box = growableBox(4096);
  private deadline = Infinity;
  private interrupted = false;
  /** Out of memory or interrupted: the runtime is discarded, not disposed. */
  private broken = false;
  private guest: GuestState = { pending: true, queued: 0 };
  private stats: TickStats = { cost: 0, chains: [] };
  private vars: Record<string, Value> = {};
  private varsStale = true;
  private ticksSinceCheck = 0;
  private wasmBytes = 0;
  /** Set once a limit stopped the guest: why later ticks are refused. */
  private stopped: string | undefined;

  constructor(schedule: Schedule, opts: QuickJsEngineOptions = {}) {
    const shared = quickJsLoaded();
    const module = opts.module ?? shared?.module;
    const guestSource = opts.guestSource ?? shared?.guestSource;
    if (!module || !guestSource) throw new Error('the QuickJS module is not loaded: await loadQuickJs() (bindings/quickjs) first');
    this.limits = resolveLimits(schedule.meta.limits, opts.limits);
    this.memoryLimitBytes = opts.memoryLimitBytes ?? QUICKJS_DEFAULTS.memoryLimitBytes;
    this.tickTimeLimitMs = opts.tickTimeLimitMs ?? QUICKJS_DEFAULTS.tickTimeLimitMs;
    this.memoryCheckTicks = opts.memoryCheckTicks ?? QUICKJS_DEFAULTS.memoryCheckTicks;
    this.memoryCheckScales = opts.memoryCheckTicks === undefined;
    this.checkEvery = this.memoryCheckTicks;
    this.queue = new EventQueue(this.limits.queueCapacity, schedule.connections.length);
    this.log = opts.log;
    this.strictDispose = !!opts.strictDispose;
    this.wasmMemory = module.getWasmMemory();

    const rt = (this.rt = module.newRuntime());
    try {
      rt.setMaxStackSize(QUICKJS_DEFAULTS.stackBytes);
      rt.setMemoryLimit(this.memoryLimitBytes);
      rt.setInterruptHandler(() => {
        if (performance.now() <= this.deadline) return false;
        this.interrupted = true;
        return true;
      });
      const ctx = (this.ctx = rt.newContext({ intrinsics: GUEST_INTRINSICS }));
      // computeMemoryUsage builds its answer in the runtime's "system" context, and would create a
      // second, full one for that; the guest's context serves (the answer is disposed at once).
      rt.context = ctx;
      this.load(ctx, guestSource, schedule, opts.limits);
      this.fnTick = this.globalFunction(ctx, GUEST_FN.tick);
      this.fnVariables = this.globalFunction(ctx, GUEST_FN.variables);
      this.fnBox = this.globalFunction(ctx, GUEST_FN.box);
      this.fnEscaped = this.globalFunction(ctx, GUEST_FN.escaped);
      const boxed = this.installBox(BOX_INITIAL_BYTES, QUICKJS_DEFAULTS.loadTimeLimitMs);
      if (!boxed.ok) throw new Error(`the QuickJS guest could not take its box: ${boxed.fatal.message}`);
      const used = this.memoryUsed();
      if (used > this.memoryLimitBytes) {
        throw new Error(`memoryLimitBytes (${mib(this.memoryLimitBytes)}) is too small: the QuickJS guest uses ${mib(used)} with this schedule loaded`);
      }
      this.wasmBytes = this.wasmMemory.buffer.byteLength;
    } catch (e) {
      this.release();
      throw e;
    }
  }

  // ── TickEngine ───────────────────────────────────────────────────────

  /** Queues an event on the host side until the next tick; false when the queue is full (counted and reported by the guest VM). */
  post(ev: InEvent): boolean {
    if (this.stopped) return false;
    const q = this.queue;
    // The in-process VM has one queue of queueCapacity, shared by new events and those a budget-cut
    // tick left over; the guest's leftovers take their room here too, so both targets drop alike.
    if (q.length + this.guest.queued >= q.capacity) {
      if (ev.conn >= 0 && ev.conn < q.dropped.length) q.dropped[ev.conn]++;
      q.droppedTotal++;
      return false;
    }
    return q.push(ev);
  }

  /** The last tick's cost and chains, as the guest VM reported them. */
  lastTick(): TickStats {
    return this.stats;
  }

  tick(now: number): Output[] {
    if (this.stopped) throw new Error(this.stopped);
    const input = this.takeBatch(now);
    if (input.size > this.boxBytes) {
      const b = this.installBox(input.size, this.tickTimeLimitMs);
      if (!b.ok) return [this.stop(b.fatal)];
    }
    this.putInBox(input.size);
    const ctx = this.ctx!;
    const args = input.text === '' ? [] : [ctx.newString(input.text)];
    const r = this.call(this.fnTick!, args, (reader) => {
      const out: Output[] = [];
      const n = reader.header(OUT.count);
      for (let i = 0; i < n; i++) out.push(reader.output());
      const nextDue = reader.header(OUT.nextDue);
      const ran: number[] = [];
      for (let i = 0; i < reader.header(OUT.chains); i++) ran.push(reader.word());
      return { out, pending: reader.header(OUT.pending) === 1, nextDue: Number.isNaN(nextDue) ? undefined : nextDue, queued: reader.header(OUT.queued), cost: reader.header(OUT.cost), ran };
    });
    if (!r.ok) return [this.stop(r.fatal)];
    const { out, cost, ran, ...state } = r.value;
    this.guest = { pending: state.pending, nextDue: state.nextDue, queued: state.queued };
    this.stats = { cost, chains: ran };
    this.varsStale = true;
    // An allocation over setMemoryLimit throws inside a chain, and the VM reports it like any other
    // exception; the guest carries on, but its heap is at the backstop: stop it.
    if (out.some((o) => o.kind === 'error' && o.code === 'internal' && o.message.includes('out of memory'))) {
      out.push(this.stop({ code: 'memory_limit', broken: true, message: `the QuickJS sandbox ran out of memory (limit ${mib(this.memoryLimitBytes)}, memoryLimitBytes)` }));
      return out;
    }
    const grown = this.wasmMemory.buffer.byteLength !== this.wasmBytes;
    if (grown || ++this.ticksSinceCheck >= this.checkEvery) {
      this.ticksSinceCheck = 0;
      this.wasmBytes = this.wasmMemory.buffer.byteLength;
      let used: number;
      try {
        used = this.memoryUsed();
      } catch (e) {
        out.push(this.stop({ code: 'internal', broken: true, message: `the QuickJS sandbox's memory could not be measured (${(e as Error)?.message ?? e})` }));
        return out;
      }
      if (this.memoryCheckScales) this.checkEvery = Math.max(this.memoryCheckTicks, Math.ceil(used / MEMORY_CHECK_BYTES_PER_TICK));
      if (used > this.memoryLimitBytes) {
        out.push(this.stop({ code: 'memory_limit', broken: false, message: `the QuickJS sandbox uses ${mib(used)}, over its memory limit of ${mib(this.memoryLimitBytes)} (memoryLimitBytes)` }));
      }
    }
    return out;
  }

  /**
   * Events to deliver, buffered work in the guest, or a stopped guest (so a
   * host loop ticks once more, and that tick's refusal ends its run).
   */
  hasPendingWork(): boolean {
    return this.stopped !== undefined || this.queue.length > 0 || this.queue.droppedTotal > 0 || this.guest.pending;
  }

  nextDue(): number | undefined {
    return this.stopped ? undefined : this.guest.nextDue;
  }

  /**
   * Every variable; asked of the guest only when a tick ran since the last
   * time. After dispose, or a stop by the memory measurement: the values at
   * that moment; after a broken runtime: the last values read.
   */
  variables(): Record<string, Value> {
    if (this.varsStale && !this.stopped) {
      const f = this.readVariables();
      if (f) this.stop(f);
    }
    return { ...this.vars };
  }

  /** Releases the sandbox; idempotent. */
  dispose(): void {
    if (!this.stopped) this.stopped = 'the QuickJS engine was disposed';
    this.release();
  }

  /** Whether a limit or a failure stopped the guest (then every tick is refused). */
  get isStopped(): boolean {
    return this.stopped !== undefined;
  }

  // ── the boundary ─────────────────────────────────────────────────────

  private readVariables(): Fatal | undefined {
    const r = this.call(this.fnVariables!, [], (reader) => {
      const vars: Record<string, Value> = {};
      const n = reader.header(OUT.count);
      // defineProperty: a variable named "__proto__" stays a plain key.
      for (let i = 0; i < n; i++) Object.defineProperty(vars, reader.string(), { value: reader.value(), enumerable: true, writable: true, configurable: true });
      return vars;
    });
    if (!r.ok) return r.fatal;
    this.vars = r.value;
    this.varsStale = false;
    return undefined;
  }

  /** Evaluates the guest bundle and hands it the schedule. */
  private load(ctx: QuickJSContext, source: string, schedule: Schedule, limits: Partial<Limits> | undefined): void {
    const failed = (what: string, f: Fatal) => new Error(`the QuickJS guest could not ${what}: ${f.message}`);
    this.deadline = performance.now() + QUICKJS_DEFAULTS.loadTimeLimitMs;
    let evaluated;
    try {
      evaluated = ctx.evalCode(source, 'guest.js', { type: 'global', strict: true });
    } catch (e) {
      throw failed('start', this.hostFailure(e));
    } finally {
      this.deadline = Infinity;
    }
    if (evaluated.error) throw failed('start', this.fatalOf(evaluated.error, QUICKJS_DEFAULTS.loadTimeLimitMs));
    evaluated.value.dispose();
    this.settleJobs();

    const fn = this.globalFunction(ctx, GUEST_FN.load);
    const bytes = encode(schedule, { debug: true });
    const r = this.enter(fn, [ctx.newArrayBuffer(exactBuffer(bytes)), ctx.newString(JSON.stringify({ limits }))], QUICKJS_DEFAULTS.loadTimeLimitMs,
      (json) => JSON.parse(json) as LoadResult);
    fn.dispose();
    if (!r.ok) throw failed('load the schedule', r.fatal);
    const res = r.value;
    if (res.abi !== ABI_VERSION) throw new Error(`the QuickJS guest speaks ABI ${res.abi}, this host ${ABI_VERSION}: rebuild with 'node build.mjs'`);
    if (!res.ok) throw new Error(`the QuickJS guest refused the schedule: ${res.error}`);
    this.guest = { pending: res.pending, nextDue: res.nextDue, queued: res.queued };
  }

  private globalFunction(ctx: QuickJSContext, name: string): QuickJSHandle {
    const h = ctx.getProp(ctx.global, name);
    if (ctx.typeof(h) !== 'function') {
      h.dispose();
      throw new Error(`the QuickJS guest defines no function ${name}: not a pulsewire guest bundle`);
    }
    return h;
  }

  /**
   * One call into the guest, under a deadline, whose answer is a string. The
   * argument handles are disposed here. `read` gets the string.
   */
  private enter<T>(fn: QuickJSHandle, args: QuickJSHandle[], limitMs: number, read: (text: string) => T): Entered<T> {
    const ctx = this.ctx!;
    this.interrupted = false;
    this.deadline = performance.now() + limitMs;
    let result;
    try {
      result = ctx.callFunction(fn, ctx.undefined, args);
    } catch (e) {
      return { ok: false, fatal: this.hostFailure(e) };
    } finally {
      this.deadline = Infinity;
      if (!this.broken) for (const a of args) a.dispose();
    }
    if (result.error) return { ok: false, fatal: this.fatalOf(result.error, limitMs) };
    const reply = result.value;
    try {
      this.settleJobs();
      return { ok: true, value: read(ctx.getString(reply)) };
    } catch (e) {
      return { ok: false, fatal: this.unreadable(e) };
    } finally {
      reply.dispose();
    }
  }

  /**
   * A call whose answer is a reply (HOST-ABI.md): records in the box, their text
   * after the flag character. A reply that needs a bigger box gets one first;
   * a text the C string cut short (it held U+0000) is asked again as JSON.
   */
  private call<T>(fn: QuickJSHandle, args: QuickJSHandle[], read: (reader: BoxReader) => T): Entered<T> {
    let r = this.enter(fn, args, this.tickTimeLimitMs, (s) => s);
    if (!r.ok) return r;
    let flags = r.value.charCodeAt(0) - 0x30;
    if (flags === REPLY_FLAGS.needBox) {
      r = this.installBox(Number(r.value.slice(1)), this.tickTimeLimitMs);
      if (!r.ok) return r;
      flags = r.value.charCodeAt(0) - 0x30;
    }
    try {
      if (!(flags === 0 || flags === REPLY_FLAGS.jsonText)) throw new Error(`not a reply of ABI ${ABI_VERSION}: ${JSON.stringify(r.value.slice(0, 40))}`);
      let text = r.value.slice(1);
      if (flags === REPLY_FLAGS.jsonText) text = JSON.parse(text) as string;
      this.views();
      if (text.length !== this.boxWords[OUT.textLength]) {
        const again = this.enter(this.fnEscaped!, [], this.tickTimeLimitMs, (s) => JSON.parse(s) as string);
        if (!again.ok) return again;
        text = again.value;
        this.views();
      }
      return { ok: true, value: read(new BoxReader(this.boxWords, this.boxView, text)) };
    } catch (e) {
      return { ok: false, fatal: this.unreadable(e) };
    }
  }

  private unreadable(e: unknown): Fatal {
    return { code: 'internal', broken: false, message: `the QuickJS guest's reply could not be read (${(e as Error)?.message ?? e})` };
  }

  /**
   * Gives the guest a new box of at least `minBytes` and answers what pw_box
   * answered. The host makes it (newArrayBuffer: QuickJS takes the copy in
   * wasm memory as the buffer's own memory) and must know where it is;
   * quickjs-emscripten tells no address (its getArrayBuffer copies), so the
   * box starts with 16 random bytes, found once in wasm memory, and the
   * guest checks a number written there (a native host asks JS_GetArrayBuffer).
   */
  private installBox(minBytes: number, limitMs: number): Entered<string> {
    const ctx = this.ctx!;
    let size = Math.max(BOX_INITIAL_BYTES, this.boxBytes * 2);
    while (size < minBytes) size *= 2;
    const init = new Uint8Array(size);
    // Not crypto: nothing here is secret, and the board runner's Node 18 has no global crypto.
    const nonce = Uint8Array.from({ length: 16 }, () => Math.floor(Math.random() * 256));
    init.set(nonce);
    const h = ctx.newArrayBuffer(init.buffer);
    const memory = Buffer.from(this.wasmMemory.buffer);
    const at = memory.indexOf(nonce);
    if (at < 0 || at % 8 !== 0 || memory.indexOf(nonce, at + 1) !== -1) {
      h.dispose();
      return { ok: false, fatal: { code: 'internal', broken: false, message: 'the host could not find the QuickJS guest\'s box in its memory' } };
    }
    const check = Math.floor(Math.random() * 2 ** 32) + 0.5;
    new Float64Array(this.wasmMemory.buffer, at, 1)[0] = check;
    this.boxAt = at;
    this.boxBytes = size;
    this.boxViewsOf = undefined;
    return this.enter(this.fnBox!, [h, ctx.newNumber(check)], limitMs, (s) => s);
  }

  /** Views of the box, current: a grown wasm memory is a new ArrayBuffer, and old views of it are empty. */
  private views(): void {
    const buf = this.wasmMemory.buffer as ArrayBuffer;
    if (buf === this.boxViewsOf) return;
    this.boxWords = new Float64Array(buf, this.boxAt, this.boxBytes >> 3);
    this.boxView = new Uint8Array(buf, this.boxAt, this.boxBytes);
    this.boxViewsOf = buf;
  }

  /** The tick's input, written into the box in one piece. */
  private putInBox(size: number): void {
    this.views();
    this.boxView.set(this.scratch.bytes.subarray(0, size));
  }

  /** The guest makes no promises (its context has no Promise); run the job queue anyway so nothing can linger between calls. */
  private settleJobs(): void {
    if (!this.rt!.hasPendingJob()) return; // a cheap check; executePendingJobs allocates every time
    const jobs = this.rt!.executePendingJobs();
    if (jobs.error) {
      const f = this.fatalOf(jobs.error, this.tickTimeLimitMs);
      throw new Error(`a QuickJS job failed: ${f.message}`);
    }
  }

  /** What an exception out of the guest means. Consumes the handle (unless the runtime is broken: then it is left alone). */
  private fatalOf(error: QuickJSHandle, limitMs: number): Fatal {
    if (this.interrupted) {
      this.broken = true;
      return { code: 'time_limit', broken: true, message: `a tick ran longer than its time limit of ${limitMs} ms (tickTimeLimitMs) in the QuickJS sandbox` };
    }
    let text: string;
    try {
      const d = this.ctx!.dump(error) as { name?: string; message?: string } | string;
      text = typeof d === 'object' && d ? `${d.name ?? 'Error'}: ${d.message ?? ''}` : String(d);
    } catch {
      text = 'an exception that could not be read';
    }
    if (text.includes('out of memory')) {
      this.broken = true;
      return { code: 'memory_limit', broken: true, message: `the QuickJS sandbox ran out of memory (limit ${mib(this.memoryLimitBytes)}, memoryLimitBytes)` };
    }
    try {
      error.dispose();
    } catch {
      // already gone with a broken runtime
    }
    return { code: 'internal', broken: false, message: `the QuickJS guest threw ${text}` };
  }

  /**
   * An exception of the host's own out of the wasm code (Node's stack
   * overflowed, or the module aborted): QuickJS stopped halfway through a C
   * function, so its heap cannot be trusted.
   */
  private hostFailure(e: unknown): Fatal {
    this.broken = true;
    return { code: 'internal', broken: true, message: `the QuickJS sandbox failed in the host (${(e as Error)?.message ?? e})` };
  }

  /** QuickJS's own count of the bytes the runtime uses. */
  private memoryUsed(): number {
    const ctx = this.ctx!;
    const usage = this.rt!.computeMemoryUsage();
    try {
      const used = ctx.getProp(usage, 'memory_used_size');
      try {
        return ctx.getNumber(used);
      } finally {
        used.dispose();
      }
    } finally {
      usage.dispose();
    }
  }

  /** The tick's input in the scratch box: the queue's events, then the counts of those it refused; and its text. */
  private takeBatch(now: number): { text: string; size: number } {
    const q = this.queue;
    const w = new BoxWriter(this.scratch);
    let events = 0;
    for (let ev = q.shift(); ev; ev = q.shift()) {
      w.event(ev);
      events++;
    }
    let dropped = 0;
    if (q.droppedTotal > 0) {
      for (let conn = 0; conn < q.dropped.length; conn++) {
        if (q.dropped[conn] === 0) continue;
        w.word(conn);
        w.word(q.dropped[conn]);
        dropped++;
      }
      q.dropped.fill(0);
      q.droppedTotal = 0;
    }
    let { text, size } = w.finish();
    const h = this.scratch.words;
    h[IN.now] = now;
    h[IN.events] = events;
    h[IN.dropped] = dropped;
    h[IN.jsonText] = 0;
    if (text !== '' && !crossesAsIs(text)) {
      text = JSON.stringify(text);
      h[IN.jsonText] = 1;
    }
    return { text, size };
  }

  // ── stopping ─────────────────────────────────────────────────────────

  /** Stops the guest for good and returns the error output that says why. */
  private stop(f: Fatal): RuntimeError {
    this.stopped = `the QuickJS sandbox was stopped by an earlier ${f.code} error; no further ticks run in it: start a new runtime`;
    if (f.broken) this.broken = true;
    this.release();
    return { kind: 'error', code: f.code, message: `${f.message}; it was stopped` };
  }

  /**
   * Frees the runtime, or — broken: after an out-of-memory or an interrupt —
   * only lets go of it: its wasm memory is not reclaimed, but disposing a
   * broken heap can abort.
   */
  private release(): void {
    const rt = this.rt;
    if (!rt) return;
    // A healthy guest is asked for its variables one last time, so that they stay readable (a test's last look).
    if (!this.broken && this.varsStale && this.fnVariables) this.readVariables();
    const handles = [this.fnTick, this.fnVariables, this.fnBox, this.fnEscaped];
    const ctx = this.ctx;
    this.rt = this.ctx = this.fnTick = this.fnVariables = this.fnBox = this.fnEscaped = undefined;
    if (this.broken) {
      try {
        rt.removeInterruptHandler();
      } catch {
        // nothing more to let go of
      }
      return;
    }
    try {
      for (const h of handles) if (h?.alive) h.dispose();
      rt.context = undefined; // the guest's context is ours to dispose, before its runtime
      ctx?.dispose();
      rt.dispose();
    } catch (e) {
      // The library's assertion that no object outlives its runtime (a leaked handle, or an
      // upstream bug): the module stays usable, this runtime's memory is lost.
      if (this.strictDispose) throw e;
      this.log?.warn(`disposing a QuickJS runtime failed: ${(e as Error)?.message ?? e}`);
    }
  }
}
