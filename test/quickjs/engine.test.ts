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

/** A guest whose pw_load succeeds and whose pw_tick is `tick` (source text of a function). */
const fakeGuest = (tick: string, abi = ABI_VERSION) => `
  globalThis.pw_load = () => JSON.stringify({ ok: true, abi: ${abi}, pending: true, queued: 0 });
  globalThis.pw_tick = ${tick};
  globalThis.pw_variables = () => JSON.stringify({ vars: {} });`;

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

  it('a reply that is not the ABI\'s JSON stops the guest with a clear error', () => {
    const e = engine(fakeGuest(`() => 'not json'`));
    const [err] = e.tick(0);
    assert.match((err as { message: string }).message, /^the QuickJS guest's reply could not be read \(.*JSON.*\); it was stopped$/);
    e.dispose();
  });

  it('a guest of another ABI version is refused when the engine is made', () => {
    assert.throws(() => engine(fakeGuest(`() => ''`, ABI_VERSION + 1)), new RegExp(`speaks ABI ${ABI_VERSION + 1}, this host ${ABI_VERSION}`));
  });

  it('a guest whose bundle does not even evaluate is refused with the syntax error', () => {
    assert.throws(() => engine('function ('), /the QuickJS guest could not start: the QuickJS guest threw SyntaxError: /);
  });
});
