// The QuickJS engine as the host loop sees it (post / tick / hasPendingWork
// / nextDue / variables / dispose), and what it does when the guest itself
// misbehaves. The misbehaving guests are test-only sources passed as
// `guestSource`: the ABI is all the engine knows of a guest, so they drive
// the same code paths a broken dist/guest.js would.

import { strict as assert } from 'node:assert';
import { TestQuickJSWASMModule } from 'quickjs-emscripten-core';
import { QuickJsEngine } from '../../bindings/quickjs/engine.ts';
import { loadQuickJs, type QuickJsShared } from '../../bindings/quickjs/module.ts';
import { ABI_VERSION } from '../../bindings/quickjs/abi.ts';
import { compileOk } from '../helpers/project.ts';
import { echoProject } from './fixture.ts';

/** A guest whose pw_load and pw_box succeed and whose pw_tick is `tick` (source text of a function). */
const fakeGuest = (tick: string, abi = ABI_VERSION) => `
  globalThis.pw_load = () => JSON.stringify({ ok: true, abi: ${abi}, pending: true, queued: 0 });
  globalThis.pw_box = () => '0';
  globalThis.pw_tick = ${tick};
  globalThis.pw_variables = globalThis.pw_escaped = () => '0';`;

describe('quickjs: the engine', () => {
  let shared: QuickJsShared;
  let mod: TestQuickJSWASMModule;
  before(async () => (shared = await loadQuickJs()));
  beforeEach(() => (mod = new TestQuickJSWASMModule(shared.module)));
  afterEach(() => {
    // Every runtime of these tests is disposed (none is broken): the library's leak check must pass.
    for (const r of [...mod.runtimes]) if (!r.alive) mod.runtimes.delete(r);
    mod.assertNoMemoryAllocated();
  });
  const schedule = () => compileOk(echoProject());
  const engine = (guestSource?: string) => new QuickJsEngine(schedule(), { module: mod, strictDispose: true, guestSource });

  it('answers hasPendingWork and nextDue from the guest, and counts events posted since', () => {
    const e = engine();
    assert.equal(e.hasPendingWork(), true, 'the boot is pending before the first tick');
    assert.equal(e.nextDue(), undefined);
    e.tick(0);
    assert.equal(e.hasPendingWork(), false);
    assert.equal(e.nextDue(), 50, 'the boot started a 0.05 s timeout');
    assert.equal(e.post({ kind: 'ws.open', conn: 0 }), true);
    assert.equal(e.hasPendingWork(), true);
    e.tick(10);
    assert.equal(e.hasPendingWork(), false);
    e.tick(50);
    assert.equal(e.nextDue(), undefined);
    assert.deepEqual(e.variables().product, Infinity);
    e.post({ kind: 'ws.message', conn: 0, data: 'last' });
    e.tick(60);
    e.dispose();
    assert.equal(e.variables().text, 'last', 'what the last tick set stays readable after dispose');
    e.dispose();
    assert.throws(() => e.tick(70), /disposed/);
    assert.equal(e.post({ kind: 'ws.open', conn: 0 }), false);
  });

  it('text with U+0000 but no lone surrogate crosses both ways whole (the C string would cut it: the host asks again, as JSON)', () => {
    const e = engine();
    e.tick(0);
    e.post({ kind: 'ws.open', conn: 0 });
    e.post({ kind: 'ws.message', conn: 0, data: 'a\u0000b é 😀' });
    const out = e.tick(10);
    e.dispose();
    assert.ok(out.some((o) => o.kind === 'console' && o.text === 'a\u0000b é 😀'), JSON.stringify(out));
    assert.ok(out.some((o) => o.kind === 'ws.send' && o.data === 'A\u0000B É 😀'));
    assert.equal(e.variables().text, 'a\u0000b é 😀');
  });

  it('a tick bigger than the box gets a bigger box, in either direction, and the payloads arrive whole', () => {
    const e = engine();
    e.tick(0);
    e.post({ kind: 'ws.open', conn: 0 });
    const big = new Uint8Array(100_000).map((_, i) => (i * 7) & 255);
    const text = 'x'.repeat(70_000);
    e.post({ kind: 'ws.message', conn: 0, data: big });
    e.post({ kind: 'ws.message', conn: 0, data: text });
    const out = e.tick(10);
    // Big outputs come back (both listeners answer each message): the binary echo (100 kB, more than the box) and the upper-cased text.
    const sends = out.filter((o) => o.kind === 'ws.send') as { data: string | Uint8Array }[];
    assert.equal(sends.length, 4);
    assert.ok(sends.some((s) => s.data instanceof Uint8Array && s.data.length === big.length && s.data.every((x, i) => x === big[i])));
    assert.ok(sends.some((s) => s.data === text.toUpperCase()));
    // And the next, small tick still works with the bigger box.
    e.post({ kind: 'ws.message', conn: 0, data: 'small' });
    assert.ok(e.tick(20).some((o) => o.kind === 'ws.send' && o.data === 'SMALL'));
    e.dispose();
  });

  it('a guest that throws stops with an internal error naming the exception; its runtime is still disposed cleanly', () => {
    const e = engine(fakeGuest(`() => { throw new TypeError('boom') }`));
    assert.deepEqual(e.tick(0), [{ kind: 'error', code: 'internal', message: 'the QuickJS guest threw TypeError: boom; it was stopped' }]);
    assert.throws(() => e.tick(1), /stopped by an earlier internal error/);
    e.dispose();
  });

  it('a guest that recurses without end meets the 256 KiB stack limit, not the host stack', () => {
    const e = engine(fakeGuest(`() => { const f = (n) => f(n + 1) + 1; return f(0) }`));
    const [err] = e.tick(0);
    assert.equal(err.kind === 'error' && err.code, 'internal');
    assert.match((err as { message: string }).message, /InternalError: stack overflow/);
    e.dispose();
  });

  it('a reply that is not the ABI\'s stops the guest with a clear error', () => {
    const e = engine(fakeGuest(`() => 'not a reply'`));
    const [err] = e.tick(0);
    assert.match((err as { message: string }).message, /^the QuickJS guest's reply could not be read \(not a reply of ABI \d+: "not a reply"\); it was stopped$/);
    e.dispose();
  });

  it('a guest of another ABI version is refused when the engine is made', () => {
    assert.throws(() => engine(fakeGuest(`() => ''`, ABI_VERSION + 1)), new RegExp(`speaks ABI ${ABI_VERSION + 1}, this host ${ABI_VERSION}`));
  });

  it('a guest whose bundle does not even evaluate is refused with the syntax error', () => {
    assert.throws(() => engine('function ('), /the QuickJS guest could not start: the QuickJS guest threw SyntaxError: /);
  });
});
