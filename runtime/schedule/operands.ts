// Operand letters per word of one instruction, read off its row's shape, so
// that the verifier and the disassembler walk operands the same way.
//
//   shape 'drj'  → 'drj'
//   shape 'dr*'  → 'dr#rr…'   ('#' is the count word, then one 'r' per argument)

import { OPS, type OpName } from './opcodes.ts';

/**
 * The letter of each word after the opcode. A variadic count is clamped to
 * the words the code has (the verifier reports a count that runs past the
 * end; the disassembler shows what is there).
 */
export function operandLetters(code: ArrayLike<number>, pc: number, name: OpName): string {
  const shape: string = OPS[name].shape;
  if (!shape.endsWith('*')) return shape;
  const countAt = pc + shape.length;
  const count = Math.min(countAt < code.length ? code[countAt] : 0, code.length - countAt - 1);
  return shape.slice(0, -1) + '#' + 'r'.repeat(count > 0 ? count : 0);
}
