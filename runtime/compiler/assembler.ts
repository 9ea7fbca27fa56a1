// The code being emitted: instruction words checked against the opcode
// table's shapes, jump labels fixed up at the end, and the debug map (which
// node each run of instructions belongs to).

import { OPS, OP, type OpName } from '../schedule/opcodes.ts';
import type { DebugMap } from '../schedule/schedule.ts';
import type { Label, Operand } from './catalogue/types.ts';

export interface LabelImpl extends Label {
  label: number;
}

export class Assembler {
  readonly code: number[] = [];
  private readonly labels: number[] = []; // label → pc, -1 until marked
  private readonly fixups: { at: number; label: number }[] = [];
  private readonly debugPcs: number[] = [];
  private readonly debugNodes: string[] = [];
  private currentDebug = '';
  private lastJump = -1; // pc of the last emitted JMP, for the fall-through rewrite

  newLabel(): LabelImpl {
    return { label: this.labels.push(-1) - 1 };
  }

  mark(l: Label): void {
    this.labels[l.label] = this.code.length;
  }

  /** The instructions from here on belong to the node labelled `label` (`scope/id`). */
  debug(label: string): void {
    if (label === this.currentDebug) return;
    this.currentDebug = label;
    if (this.debugPcs.length && this.debugPcs[this.debugPcs.length - 1] === this.code.length) {
      this.debugNodes[this.debugNodes.length - 1] = label;
    } else {
      this.debugPcs.push(this.code.length);
      this.debugNodes.push(label);
    }
  }

  emit(op: OpName, operands: readonly Operand[]): void {
    const shape = OPS[op].shape;
    const fixed = shape.endsWith('*') ? shape.length - 1 : shape.length;
    if (operands.length < fixed) throw new Error(`compiler: ${op} needs ${fixed} operands`);
    this.lastJump = op === 'JMP' ? this.code.length : -1;
    this.code.push(OP[op]);
    operands.forEach((o, i) => {
      if (typeof o === 'number') this.code.push(o);
      else {
        if (shape[i] !== 'j') throw new Error(`compiler: ${op} operand ${i} is not a jump`);
        this.fixups.push({ at: this.code.length, label: o.label });
        this.code.push(0);
      }
    });
  }

  /** The label the code's last instruction jumps to, when that instruction is a JMP. */
  finalJumpTarget(): number | undefined {
    if (this.lastJump < 0 || this.lastJump !== this.code.length - 2) return undefined;
    return this.fixups[this.fixups.length - 1].label;
  }

  /** Drops the final JMP (its target is placed right after, so control falls through). */
  dropFinalJump(): void {
    this.code.length -= 2;
    this.fixups.pop();
    this.lastJump = -1;
  }

  /** The pc a label was marked at. */
  pcOf(label: number): number {
    return this.labels[label];
  }

  /** The finished code with every jump resolved, and the debug map. */
  finish(): { code: Int32Array; debug: DebugMap } {
    for (const f of this.fixups) this.code[f.at] = this.labels[f.label];
    // Trailing debug entries that point past the end belong to nothing.
    while (this.debugPcs.length && this.debugPcs[this.debugPcs.length - 1] >= this.code.length) {
      this.debugPcs.pop();
      this.debugNodes.pop();
    }
    return { code: Int32Array.from(this.code), debug: { pcs: this.debugPcs, nodes: this.debugNodes } };
  }
}
