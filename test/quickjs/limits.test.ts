// The sandbox's bounds: the VM's instruction budget (same on both targets),
// the memory limit, the time limit, what the guest can reach, and QuickJS
// handles — every engine released, checked by quickjs-emscripten's own
// leak checks (TestQuickJSWASMModule, and the runtime's assertion that no
// object outlives it, rethrown with strictDispose).

import { strict as assert } from 'node:assert';
import { TestQuickJSWASMModule } from 'quickjs-emscripten-core';
import { Vm } from '../../runtime/vm/index.ts';
import type { Output } from '../../runtime/vm/io.ts';
import { QuickJsEngine, type QuickJsEngineOptions } from '../../bindings/quickjs/engine.ts';
import { loadQuickJs, type QuickJsShared } from '../../bindings/quickjs/module.ts';
import { ABI_VERSION } from '../../bindings/quickjs/abi.ts';
import { createRuntime } from '../../targets/runtime.ts';
import { compileOk, project } from '../helpers/project.ts';
import { echoProject, echoScript, drive } from './fixture.ts';

const P = '►';
const errorsOf = (out: Output[]) => out.flatMap((o) => (o.kind === 'error' ? [o] : []));

/** On boot: a For Loop over First..Last, then Completed logs "done"; an interval logs "tick" every 100 ms. */
const loopProject = (last: number, limits: object = {}) => project({
  settings: { limits },
  nodes: [
    { id: 'boot', type: 'On Scene Loaded' }, { id: 'seq', type: 'Sequential' },
    { id: 'every', type: 'Start Interval', inputs: { Seconds: 0.1 } }, { id: 'tock', type: 'Console', inputs: { Input: 'tick' } },
    { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: last } }, { id: 'done', type: 'Console', inputs: { Input: 'done' } },
  ],
  links: [['boot', P, 'seq', P], ['seq', 'Pulse 0', 'every', P], ['every', P, 'tock', P], ['seq', 'Pulse 1', 'loop', P], ['loop', 'Completed', 'done', P]],
});

/** On boot: `s` doubles `n` times (Concat), then `u` = Upper(s): a flat string of 2^n bytes that the guest keeps. */
const doublingProject = (n: number) => project({
  settings: { limits: { maxStringLength: 1 << 24 } },
  variables: [{ name: 's', type: 'String', initial: 'x' }, { name: 'u', type: 'String', initial: '' }],
  nodes: [
    { id: 'boot', type: 'On Scene Loaded' },
    { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: n } },
    { id: 's', type: 'Variable Getter', attributes: { Variable: 's' } },
    { id: 'twice', type: 'Concat Strings' },
    { id: 'setS', type: 'Variable Setter', attributes: { Variable: 's' } },
    { id: 'upper', type: 'Upper' },
    { id: 'setU', type: 'Variable Setter', attributes: { Variable: 'u' } },
  ],
  links: [
    ['boot', P, 'loop', P], ['loop', 'Loop Body', 'setS', P], ['s', 'Value', 'twice', 'Input 0'], ['s', 'Value', 'twice', 'Input 1'],
    ['twice', 'Output', 'setS', 'Value'], ['loop', 'Completed', 'setU', P], ['s', 'Value', 'upper', 'Input'], ['upper', 'Output', 'setU', 'Value'],
  ],
});

/** On boot: Split a 295 KB literal at ",": 32,769 small strings, kept in the Split's register (~1.3 MB in all), and only their count goes out. */
const splittingProject = () => project({
  nodes: [
    { id: 'boot', type: 'On Scene Loaded' },
    { id: 'text', type: 'String Value', attributes: { Value: 'abcdefgh,'.repeat(1 << 15) } },
    { id: 'split', type: 'Split', inputs: { Separator: ',' } },
    { id: 'count', type: 'Length' },
    { id: 'say', type: 'Console' },
  ],
  links: [['boot', P, 'say', P], ['text', 'Output', 'split', 'Input'], ['split', 'Output', 'count', 'Input'], ['count', 'Output', 'say', 'Input']],
});

describe('quickjs: limits', () => {
  let shared: QuickJsShared;
  /** A leak-checking wrapper of the shared module: it tracks every runtime made through it. */
  let mod: TestQuickJSWASMModule;
  before(async () => (shared = await loadQuickJs()));
  beforeEach(() => (mod = new TestQuickJSWASMModule(shared.module)));
  const engine = (p: object, opts: QuickJsEngineOptions = {}) => new QuickJsEngine(compileOk(p), { module: mod, strictDispose: true, ...opts });

  /**
   * The library's check, after forgetting the runtimes that were disposed
   * (0.32's TestQuickJSWASMModule only forgets those made by its
   * newContext). `discarded`: runtimes left alive on purpose, after an
   * out-of-memory or an interrupt.
   */
  function assertNoLeaks(discarded = 0): void {
    for (const r of [...mod.runtimes]) if (!r.alive) mod.runtimes.delete(r);
    assert.equal(mod.runtimes.size, discarded, 'runtimes still alive');
    mod.runtimes.clear();
    mod.assertNoMemoryAllocated();
  }

  /** A fresh engine of the same module still runs a real project: the process and the module are healthy. */
  function stillHealthy(): void {
    const schedule = compileOk(echoProject());
    const e = new QuickJsEngine(schedule, { module: mod, strictDispose: true });
    const log = drive(e, echoScript({ Link: 0, Bus: 1 }));
    e.dispose();
    assert.deepStrictEqual(log, drive(new Vm(schedule), echoScript({ Link: 0, Bus: 1 })));
  }

  describe('the instruction budget, on both targets', () => {
    it('a For Loop far above the budget ends with the budget error naming it, and the next tick runs', function () {
      this.timeout(20_000);
      const schedule = compileOk(loopProject(1_000_000_000));
      const node = new Vm(schedule);
      // A generous time limit: this is about the budget (a million instructions take ~0.3–0.7 s in QuickJS here).
      const quickjs = new QuickJsEngine(schedule, { module: mod, strictDispose: true, tickTimeLimitMs: 30_000 });
      const ticks = [0, 100, 200];
      const expected = ticks.map((t) => node.tick(t));
      const actual = ticks.map((t) => quickjs.tick(t));
      quickjs.dispose();
      assert.deepStrictEqual(actual, expected);
      const [first, ...later] = expected;
      assert.deepEqual(errorsOf(first).map((e) => [e.code, e.node]), [['budget', 'Project/loop']]);
      assert.match(errorsOf(first)[0].message, /tick budget of 1000000 instructions ran out/);
      assert.deepEqual(later, [[{ kind: 'console', level: 'info', text: 'tick' }], [{ kind: 'console', level: 'info', text: 'tick' }]]);
      assertNoLeaks();
    });
  });

  describe('memory', () => {
    it('strings that outgrow the limit (Concat doubling a string) stop the guest with a memory_limit error; the host stays healthy', () => {
      // u = Upper(s): one allocation of 1 MiB, which the setMemoryLimit backstop refuses inside the guest.
      const p = doublingProject(20);
      const e = engine(p, { memoryLimitBytes: 1 << 20 });
      const out = e.tick(0);
      assert.deepEqual(errorsOf(out), [{
        kind: 'error', code: 'memory_limit', message: 'the QuickJS sandbox ran out of memory (limit 1.0 MiB, memoryLimitBytes); it was stopped',
      }]);
      assert.equal(e.isStopped, true);
      assert.throws(() => e.tick(16), /^Error: the QuickJS sandbox was stopped by an earlier memory_limit error; no further ticks run in it: start a new runtime$/);
      assert.equal(e.post({ kind: 'ws.open', conn: 0 }), false);
      e.dispose(); // a no-op: the runtime was discarded
      // The same project within a larger budget runs, and gives the node target's outputs.
      const roomy = engine(p, { memoryLimitBytes: 8 << 20, memoryCheckTicks: 1 });
      assert.deepStrictEqual(roomy.tick(0), new Vm(compileOk(p)).tick(0));
      roomy.dispose();
      stillHealthy();
      assertNoLeaks(1);
    });

    it('a heap that grows over the budget in many small pieces is found by the measurement after the tick', () => {
      const e = engine(splittingProject(), { memoryLimitBytes: 1 << 20, memoryCheckTicks: 1 });
      const out = e.tick(0);
      const errs = errorsOf(out);
      assert.equal(errs.length, 1, JSON.stringify(errs));
      assert.equal(errs[0].code, 'memory_limit');
      assert.match(errs[0].message, /^the QuickJS sandbox uses 1\.\d MiB, over its memory limit of 1\.0 MiB \(memoryLimitBytes\); it was stopped$/);
      // What the tick did before the check is not lost: its outputs come first.
      assert.deepEqual(out[0], { kind: 'console', level: 'info', text: '32769' });
      assert.throws(() => e.tick(16), /stopped by an earlier memory_limit error/);
      e.dispose();
      stillHealthy();
      assertNoLeaks(); // an over-budget heap is sound: it was disposed, not discarded
    });

    it('a budget below what the guest needs with the schedule loaded is refused when the engine is made', () => {
      assert.throws(() => engine(echoProject(), { memoryLimitBytes: 64 << 10 }), (e: Error) => {
        // Either the measurement after loading or the allocation backstop while loading says so.
        assert.match(e.message, /memoryLimitBytes \(0\.06 MiB\) is too small|could not (start|load the schedule): the QuickJS sandbox ran out of memory/);
        return true;
      });
      stillHealthy();
    });
  });

  describe('stack', () => {
    /** On WebSocket Receive: v = JSON Parse(Message), then Console(Length(JSON Stringify(v))). */
    const nestingProject = () => project({
      settings: { webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1', Port: 9 }] },
      variables: [{ name: 'v', type: 'Any', initial: null }],
      nodes: [
        { id: 'rx', type: 'On WebSocket Receive', attributes: { Configuration: 'Link' } }, { id: 'parse', type: 'JSON Parse' },
        { id: 'set', type: 'Variable Setter', attributes: { Variable: 'v' } }, { id: 'str', type: 'JSON Stringify' }, { id: 'len', type: 'Length' },
        { id: 'say', type: 'Console' },
      ],
      links: [
        ['rx', P, 'set', P], ['rx', 'Message', 'parse', 'Input'], ['parse', 'Output', 'set', 'Value'], ['set', P, 'say', P],
        ['parse', 'Output', 'str', 'Input'], ['str', 'Output', 'len', 'Input'], ['len', 'Output', 'say', 'Input'],
      ],
    });
    const nested = (d: number) => '['.repeat(d) + ']'.repeat(d);

    it('JSON nested 2,000 deep crosses the boundary both ways, as on the node target', () => {
      const schedule = compileOk(nestingProject());
      const script = [{ tick: 0 }, { post: [{ kind: 'ws.message' as const, conn: 0, data: nested(2000) }] }, { tick: 1 }];
      const e = new QuickJsEngine(schedule, { module: mod, strictDispose: true });
      const actual = drive(e, script);
      e.dispose();
      // Compared as JSON text: node's deepStrictEqual recurses too deep for this value.
      assert.equal(JSON.stringify(actual), JSON.stringify(drive(new Vm(schedule), script)));
      assert.match(JSON.stringify(actual), /"text":"4000"/);
      assertNoLeaks();
    });

    it('JSON nested 20,000 deep meets the guest\'s stack limit inside QuickJS (a JSON error), never the host\'s; the sandbox carries on', () => {
      // 48 KiB of QuickJS stack: its own check trips before Node's native stack, which the wasm code shares.
      const e = engine(nestingProject());
      e.tick(0);
      e.post({ kind: 'ws.message', conn: 0, data: nested(20_000) });
      assert.deepEqual(errorsOf(e.tick(1)).map((x) => [x.code, x.node]), [['json', 'Project/parse']]);
      e.post({ kind: 'ws.message', conn: 0, data: '[1]' });
      assert.deepEqual(e.tick(2).filter((o) => o.kind === 'console'), [{ kind: 'console', level: 'info', text: '3' }]);
      e.dispose();
      assertNoLeaks();
    });
  });

  describe('time', () => {
    it('a tick that runs past tickTimeLimitMs is interrupted with a time_limit error; the host and the next engine are fine', function () {
      this.timeout(20_000);
      // A budget of 2·10⁹ instructions lets the loop run for seconds: only the interrupt handler can stop it.
      const e = engine(loopProject(1_000_000_000, { tickBudget: 2_000_000_000 }), { tickTimeLimitMs: 100 });
      const t0 = performance.now();
      const out = e.tick(0);
      const took = performance.now() - t0;
      assert.deepEqual(out, [{
        kind: 'error', code: 'time_limit',
        message: 'a tick ran longer than its time limit of 100 ms (tickTimeLimitMs) in the QuickJS sandbox; it was stopped',
      }]);
      assert.ok(took < 2000, `interrupted after ${took.toFixed(0)} ms`);
      assert.throws(() => e.tick(100), /stopped by an earlier time_limit error/);
      assert.equal(e.hasPendingWork(), true, 'so that a host loop ticks once more and stops on the refusal');
      e.dispose();
      stillHealthy();
      assertNoLeaks(1);
    });
  });

  describe('through createRuntime and the runner', () => {
    it('the stopped sandbox ends a stepped run: the limit error, then the runner reports the refusal and stops', async () => {
      const outputs: Output[] = [];
      const { runner, engine: e } = createRuntime(compileOk(splittingProject()), {
        target: 'quickjs', mode: 'stepped', memoryLimitBytes: 1 << 20, onOutput: (o) => outputs.push(o),
      });
      // The measurement runs every 16 ticks by default (and whenever the wasm memory grew): within them, the limit is found.
      for (let i = 0; i < 16 && errorsOf(outputs).length === 0; i++) runner.step();
      runner.step();
      await runner.stop();
      const errs = errorsOf(outputs);
      assert.equal(errs[0].code, 'memory_limit');
      assert.equal(errs[1].code, 'internal');
      assert.match(errs[1].message, /^the runtime failed: the QuickJS sandbox was stopped by an earlier memory_limit error/);
      assert.equal(errs.length, 2, 'the runner stopped after the refusal');
      e.dispose?.();
    });
  });

  describe('what the guest can reach', () => {
    it('nothing of the host: its global object holds the ECMAScript built-ins and the ABI functions, no Date, Promise, I/O or timers', () => {
      // A test-only guest that answers pw_load with its own global names (as a refusal, so they reach the host).
      const probe = `globalThis.pw_load = () => JSON.stringify({ ok: false, abi: ${ABI_VERSION}, error: JSON.stringify(Object.getOwnPropertyNames(globalThis).sort()) });
        globalThis.pw_tick = globalThis.pw_variables = globalThis.pw_box = globalThis.pw_escaped = () => '';`;
      let names: string[] = [];
      assert.throws(() => new QuickJsEngine(compileOk(echoProject()), { module: mod, guestSource: probe, strictDispose: true }), (e: Error) => {
        names = JSON.parse(e.message.replace(/^the QuickJS guest refused the schedule: /, '')) as string[];
        return true;
      });
      for (const forbidden of ['Date', 'Promise', 'Proxy', 'console', 'print', 'process', 'require', 'std', 'os', 'setTimeout', 'fetch', 'WebAssembly']) {
        assert.ok(!names.includes(forbidden), `${forbidden} is reachable`);
      }
      for (const needed of ['JSON', 'Map', 'Uint8Array', 'Float64Array', 'RegExp', 'pw_load', 'pw_tick', 'pw_box']) assert.ok(names.includes(needed), `${needed} is missing`);
      assertNoLeaks();
    });

    it('the guest defines exactly the ABI: a bundle without pw_tick is refused with a clear error', () => {
      assert.throws(() => new QuickJsEngine(compileOk(echoProject()), { module: mod, guestSource: '1 + 1', strictDispose: true }),
        /the QuickJS guest defines no function pw_load: not a pulsewire guest bundle/);
      assertNoLeaks();
    });
  });

  describe('handles', () => {
    it('many engines, each ticked with binary payloads and asked for its variables, then disposed: nothing leaks', () => {
      const schedule = compileOk(echoProject());
      for (let i = 0; i < 40; i++) {
        const e = new QuickJsEngine(schedule, { module: mod, strictDispose: true, memoryCheckTicks: 1 });
        drive(e, echoScript({ Link: 0, Bus: 1 }));
        e.dispose();
        e.dispose(); // idempotent
      }
      assertNoLeaks();
    });

    it('a runtime that still holds an object when disposed trips the library assertion, which strictDispose surfaces', () => {
      // Guards the guard: if this ever stops throwing, the leak checks above prove nothing.
      const rt = mod.newRuntime();
      const ctx = rt.newContext();
      ctx.newObject(); // leaked on purpose
      const write = process.stderr.write;
      process.stderr.write = () => true; // emscripten prints "Aborted(...)" too
      try {
        assert.throws(() => { ctx.dispose(); rt.dispose(); }, /list_empty\(&rt->gc_obj_list\)/);
      } finally {
        process.stderr.write = write;
      }
      mod.runtimes.clear();
      stillHealthy(); // the module outlives the abort
    });
  });
});
