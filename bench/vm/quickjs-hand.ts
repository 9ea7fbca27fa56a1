// The hand-written workload inside QuickJS (quickjs-emscripten, the sync
// release build the QuickJS target uses): the same JavaScript source as on
// Node, evaluated in a fresh context. One host→guest call runs k ticks, so
// the figure is the guest's own speed; its change records stay in the
// guest (a lower bound for what a hand-written guest would pay to hand them
// to the host).

import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { handWrittenSource, type Workload } from './graphs.ts';

let module: Promise<QuickJSWASMModule> | undefined;
export const quickjsModule = (): Promise<QuickJSWASMModule> => (module ??= newQuickJSWASMModuleFromVariant(variant));

export interface GuestHand {
  /** Runs k ticks: the Small event, and the Big one too when `big`. */
  run(k: number, big: boolean): void;
  state(): Record<string, unknown>;
  dispose(): void;
}

export async function quickjsHand(w: Workload): Promise<GuestHand> {
  const qjs = await quickjsModule();
  const rt = qjs.newRuntime();
  rt.setMaxStackSize(256 * 1024);
  const ctx = rt.newContext();
  const evalOrThrow = (code: string): unknown => {
    const r = ctx.evalCode(code);
    if (r.error) {
      const e = ctx.dump(r.error);
      r.error.dispose();
      throw new Error(`QuickJS: ${JSON.stringify(e)}`);
    }
    const v = ctx.dump(r.value);
    r.value.dispose();
    return v;
  };
  evalOrThrow(`globalThis.hw = ${handWrittenSource()}(${JSON.stringify(w.consts)});
globalThis.bench = function (k, big) { for (let i = 0; i < k; i++) { hw.onSmall('m'); if (big) hw.onBig('m'); } return 0; };`);
  return {
    run: (k, big) => void evalOrThrow(`bench(${k}, ${big})`),
    state: () => JSON.parse(evalOrThrow('JSON.stringify(hw.state())') as string) as Record<string, unknown>,
    dispose: () => {
      ctx.dispose();
      rt.dispose();
    },
  };
}
