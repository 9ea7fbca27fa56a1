// Reading a verified schedule's code as a graph: which node (by the debug
// map) each instruction belongs to, where control goes, which registers are
// written and read, and which nodes each chain can reach. The graph picture
// of a .pws and the inspector's "chains that ran" both come from here.

import { OP_BY_CODE, OPS, instructionLength, type OpName } from '../../runtime/schedule/opcodes.ts';
import { operandLetters } from '../../runtime/schedule/operands.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';

export interface Instruction {
  pc: number;
  op: OpName;
  /** Operand words, in order. */
  args: number[];
  /** The operand letters of the opcode's shape (one per word in args). */
  letters: string;
  /** Index into the debug map's ranges, or -1 without one. */
  owner: number;
}

/** Every instruction in pc order. The schedule is verified: every opcode and length is sound. */
export function instructions(s: Schedule): Instruction[] {
  const out: Instruction[] = [];
  const code = s.code;
  const pcs = s.debug?.pcs ?? [];
  let owner = -1;
  for (let pc = 0; pc < code.length; ) {
    const op = OP_BY_CODE[code[pc]]!;
    const len = instructionLength(code, pc, op);
    while (owner + 1 < pcs.length && pcs[owner + 1] <= pc) owner++;
    out.push({ pc, op, args: Array.from(code.subarray(pc + 1, pc + len)), letters: operandLetters(code, pc, op), owner });
    pc += len;
  }
  return out;
}

/** Where control may go after an instruction within the same chain (timer chains run later: not followed). */
export function successors(i: Instruction, next: number | undefined): number[] {
  const out: number[] = [];
  if (i.op !== 'TSTART') i.letters.split('').forEach((l, k) => l === 'j' && out.push(i.args[k]));
  if (!(OPS[i.op] as { ends?: true }).ends && next !== undefined) out.push(next);
  return out;
}

/** The chains timers fire (TSTART's fire and cancel targets): chains of their own, like events'. */
export function timerEntries(list: Instruction[]): number[] {
  const out = new Set<number>();
  for (const i of list) if (i.op === 'TSTART') i.letters.split('').forEach((l, k) => l === 'j' && out.add(i.args[k]));
  return [...out].sort((a, b) => a - b);
}

/**
 * For each chain entry (events' and timers'), the debug-map labels of the
 * nodes the chain can reach: what the inspector lights when that chain ran.
 */
export function chainNodes(s: Schedule): Map<number, string[]> {
  const list = instructions(s);
  const at = new Map(list.map((i, k) => [i.pc, k]));
  const names = s.debug?.nodes ?? [];
  const entries = new Set<number>([...s.events.map((e) => e.pc), ...timerEntries(list)]);
  const out = new Map<number, string[]>();
  for (const entry of [...entries].sort((a, b) => a - b)) {
    const seen = new Set<number>();
    const owners = new Set<number>();
    const work = [entry];
    while (work.length) {
      const pc = work.pop()!;
      if (seen.has(pc)) continue;
      seen.add(pc);
      const k = at.get(pc);
      if (k === undefined) continue;
      const i = list[k];
      if (i.owner >= 0) owners.add(i.owner);
      work.push(...successors(i, list[k + 1]?.pc));
    }
    out.set(entry, [...new Set([...owners].sort((a, b) => a - b).map((o) => names[o]))]);
  }
  return out;
}
