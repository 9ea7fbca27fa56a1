// Registers and the constant pool. A constant register is set once when
// the VM starts (regInit); constants are shared by value and type.

import { hex, type Value } from '../values.ts';

export class Registers {
  readonly consts: Value[] = [];
  /** Pairs (register, constant index) the VM loads at start. */
  readonly init: number[] = [];
  count = 0;
  private readonly constIndex = new Map<string, number>();
  private readonly constRegs = new Map<number, number>(); // constant index → register

  /** The constant pool index of a value, added on first use. */
  constant(v: Value): number {
    const key = constKey(v);
    let k = this.constIndex.get(key);
    if (k === undefined) {
      k = this.consts.push(v) - 1;
      this.constIndex.set(key, k);
    }
    return k;
  }

  /** A register holding a constant; one per distinct constant. */
  constReg(v: Value): number {
    const k = this.constant(v);
    let r = this.constRegs.get(k);
    if (r === undefined) {
      r = this.count++;
      this.init.push(r, k);
      this.constRegs.set(k, r);
    }
    return r;
  }

  /** A new register, with a starting value when one is given. */
  fresh(initial?: Value): number {
    const r = this.count++;
    if (initial !== undefined) this.init.push(r, this.constant(initial));
    return r;
  }
}

/** Constants are shared by value and type: 1 (Int) and 1.0 are one number in JS, so one constant. */
function constKey(v: Value): string {
  if (v instanceof Uint8Array) return 'b' + hex(v);
  if (typeof v === 'number' && Object.is(v, -0)) return 'n-0';
  return typeof v + JSON.stringify(v);
}
