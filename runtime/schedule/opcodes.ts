// The opcode table: the one source of truth for the instruction set.
//
// The compiler emits from it, the VM dispatches on it (its handler table is
// typed Record<OpName, …> so a missing handler fails the type check), and the
// encoder, decoder, verifier and disassembler read operand shapes from it.
// Opcode numbers are written here explicitly; nothing is computed from the
// order of the rows.
//
// Instruction format (in memory: one Int32Array of words; in a .pws file:
// each word as an unsigned LEB128 varint, see format.ts):
//
//   word:  | op | operand 1 | operand 2 | ... | operand n |
//
// The operand shape string names each operand by one letter:
//   d  register written          r  register read
//   k  constant-pool index       j  jump target (a pc: the word index of an instruction start)
//   c  connection index          v  variable index
//   s  scene index               n  small unsigned immediate (range in `n`)
//   *  (last only) a count word, then that many `r` operands
//
// Notation below: R[x] register x, K[x] constant x, V[x] variable x, C[x]
// connection x, pc the program counter. "stop" means the chain stops with a
// runtime error that names the node (the debug map turns pc into a node id).
//
// Notes:
// - A chain is the run of code from an event's entry pc until RET with an
//   empty call stack. CALL/RET give Sequential, multi-link pulse outputs,
//   custom events and Function calls their run-to-completion semantics;
//   the call depth is bounded (limits.callDepth).
// - Every executed instruction costs one unit of the tick's budget.
// - Effect opcodes (console, commands) append to the tick's output list in
//   emission order; they never perform I/O.

export interface OpRow {
  readonly code: number;
  readonly shape: string;
  /** Register-transfer notation, shown by the disassembler's --explain. */
  readonly doc: string;
  /** Upper bound (inclusive) for an `n` operand, when the op has one. */
  readonly n?: number;
  /** The connection kind a `c` operand must name. */
  readonly conn?: 'ws' | 'sio';
  /** Control never falls through to the next instruction. */
  readonly ends?: true;
}

export const OPS = {
  // ── control ──────────────────────────────────────────────────────────
  NOP:       { code: 0x00, shape: '',       doc: 'nothing' },
  RET:       { code: 0x01, shape: '',       doc: 'return to the caller; with an empty call stack the chain ends', ends: true },
  JMP:       { code: 0x02, shape: 'j',      doc: 'pc := j', ends: true },
  CALL:      { code: 0x03, shape: 'j',      doc: 'push pc; pc := j (runs the chain at j to completion, then continues here)' },
  JT:        { code: 0x04, shape: 'rj',     doc: 'if R[a] then pc := j' },
  JF:        { code: 0x05, shape: 'rj',     doc: 'if not R[a] then pc := j' },
  JGT:       { code: 0x06, shape: 'rrj',    doc: 'if R[a] > R[b] then pc := j' },
  JEQ:       { code: 0x07, shape: 'rrj',    doc: 'if R[a] equals R[b] (structurally) then pc := j' },
  JNSCENE:   { code: 0x08, shape: 'sj',     doc: 'if the loaded scene is not s then pc := j' },
  JNCHG:     { code: 0x09, shape: 'j',      doc: 'if the last VSET left its variable unchanged then pc := j' },

  // ── data ─────────────────────────────────────────────────────────────
  MOV:       { code: 0x10, shape: 'dr',     doc: 'R[d] := R[a]' },
  CONV:      { code: 0x11, shape: 'drn',    doc: 'R[d] := convert(R[a], type n); impossible → stop', n: 5 },
  INC:       { code: 0x12, shape: 'd',      doc: 'R[d] := R[d] + 1' },
  NOT:       { code: 0x13, shape: 'dr',     doc: 'R[d] := not R[a]' },
  AND:       { code: 0x14, shape: 'drr',    doc: 'R[d] := R[a] and R[b]' },
  OR:        { code: 0x15, shape: 'drr',    doc: 'R[d] := R[a] or R[b]' },
  EQ:        { code: 0x16, shape: 'drr',    doc: 'R[d] := R[a] equals R[b] (structurally)' },
  GE:        { code: 0x17, shape: 'drr',    doc: 'R[d] := R[a] >= R[b]' },
  LE:        { code: 0x18, shape: 'drr',    doc: 'R[d] := R[a] <= R[b]' },
  SELECT:    { code: 0x19, shape: 'drrr',   doc: 'R[d] := R[a] ? R[b] : R[c]' },

  // ── math (numbers are JS doubles; Int results stay integral) ─────────
  ADD:       { code: 0x20, shape: 'drr',    doc: 'R[d] := R[a] + R[b]' },
  SUB:       { code: 0x21, shape: 'drr',    doc: 'R[d] := R[a] - R[b]' },
  MUL:       { code: 0x22, shape: 'drr',    doc: 'R[d] := R[a] * R[b]' },
  DIV:       { code: 0x23, shape: 'drr',    doc: 'R[d] := R[a] / R[b]; R[b] = 0 → stop' },
  MOD:       { code: 0x24, shape: 'drr',    doc: 'R[d] := R[a] mod R[b] (sign of R[a]); R[b] = 0 → stop' },
  MIN:       { code: 0x25, shape: 'drr',    doc: 'R[d] := min(R[a], R[b])' },
  MAX:       { code: 0x26, shape: 'drr',    doc: 'R[d] := max(R[a], R[b])' },
  CLAMP:     { code: 0x27, shape: 'drrr',   doc: 'R[d] := min(max(R[a], R[b]), R[c])' },
  RMAP:      { code: 0x28, shape: 'drrrrr', doc: 'R[d] := R[d2] + (R[a]-R[b]) * (R[e]-R[d2]) / (R[c]-R[b]) (Range Mapper; empty input range → stop)' },
  ROUND:     { code: 0x29, shape: 'dr',     doc: 'R[d] := round(R[a]) (halves away from zero)' },
  FLOOR:     { code: 0x2a, shape: 'dr',     doc: 'R[d] := floor(R[a])' },
  CEIL:      { code: 0x2b, shape: 'dr',     doc: 'R[d] := ceil(R[a])' },
  ABS:       { code: 0x2c, shape: 'dr',     doc: 'R[d] := |R[a]|' },
  RAND:      { code: 0x2d, shape: 'drrn',   doc: 'R[d] := seeded random in [R[a], R[b]) (n=1: an integer in [R[a], R[b]])', n: 1 },
  TRUNC:     { code: 0x2e, shape: 'dr',     doc: 'R[d] := trunc(R[a]) (keeps Int results integral)' },

  // ── strings ──────────────────────────────────────────────────────────
  CONCAT:    { code: 0x30, shape: 'drr',    doc: 'R[d] := text(R[a]) + text(R[b])' },
  FORMAT:    { code: 0x31, shape: 'dr*',    doc: 'R[d] := R[a] with {i} replaced by text(R[args[i]])' },
  CONTAINS:  { code: 0x32, shape: 'drr',    doc: 'R[d] := R[a] contains R[b]' },
  LEN:       { code: 0x33, shape: 'dr',     doc: 'R[d] := length of R[a] (characters; bytes for Binary; items for arrays)' },
  SPLIT:     { code: 0x34, shape: 'drr',    doc: 'R[d] := R[a] split at R[b] (an array)' },
  REPLACE:   { code: 0x35, shape: 'drrr',   doc: 'R[d] := R[a] with every R[b] replaced by R[c]' },
  SUBSTR:    { code: 0x36, shape: 'drrr',   doc: 'R[d] := R[a] from index R[b], R[c] characters' },
  LOWER:     { code: 0x37, shape: 'dr',     doc: 'R[d] := lower case of R[a]' },
  UPPER:     { code: 0x38, shape: 'dr',     doc: 'R[d] := upper case of R[a]' },
  TRIM:      { code: 0x39, shape: 'dr',     doc: 'R[d] := R[a] without surrounding white space' },
  JPARSE:    { code: 0x3a, shape: 'ddr',    doc: 'R[d] := JSON.parse(R[a]); R[d2] := it is an array; bad JSON → stop' },
  JSTR:      { code: 0x3b, shape: 'dr',     doc: 'R[d] := JSON text of R[a]' },

  // ── dictionaries (values of type Any) ────────────────────────────────
  DGET:      { code: 0x40, shape: 'ddrr',   doc: 'R[d] := R[a][R[b]]; R[d2] := it was there' },
  DSET:      { code: 0x41, shape: 'drrr',   doc: 'R[d] := copy of R[a] with [R[b]] := R[c]' },
  DKEYS:     { code: 0x42, shape: 'dr',     doc: 'R[d] := keys of R[a] (an array, in insertion order)' },

  // ── variables ────────────────────────────────────────────────────────
  VGET:      { code: 0x48, shape: 'dv',     doc: 'R[d] := V[v]' },
  VSET:      { code: 0x49, shape: 'vr',     doc: 'V[v] := R[a]; a change is output as a variable change' },

  // ── effects: outputs of the tick, in emission order ──────────────────
  CONSOLE:   { code: 0x50, shape: 'nr',     doc: 'console line text(R[a]) at level n (0 info, 1 warning, 2 error)', n: 2 },
  ASSERT:    { code: 0x51, shape: 'rr',     doc: 'if not R[a]: stop with the message text(R[b])' },
  LOADSCENE: { code: 0x52, shape: 's',      doc: 'load scene s at the start of the next tick' },
  TSTART:    { code: 0x53, shape: 'drjjnn', doc: 'R[d] := new timer id, due after R[a] seconds, firing chain j1 (cancel chain j2); n1=1 repeats (interval); n2 = owner scene + 1 (0: project)', n: 0xffff },
  TCANCEL:   { code: 0x54, shape: 'r',      doc: 'cancel timer R[a]; if it was pending, run its cancel chain' },
  WSSTART:   { code: 0x60, shape: 'c',      doc: 'command: open WebSocket C[c]', conn: 'ws' },
  WSSTOP:    { code: 0x61, shape: 'c',      doc: 'command: close WebSocket C[c]', conn: 'ws' },
  WSSEND:    { code: 0x62, shape: 'crn',    doc: 'command: send R[a] on WebSocket C[c] (n=1 binary frame)', n: 1, conn: 'ws' },
  SIOSTART:  { code: 0x68, shape: 'c',      doc: 'command: connect Socket.IO C[c]', conn: 'sio' },
  SIOSTOP:   { code: 0x69, shape: 'c',      doc: 'command: disconnect Socket.IO C[c]', conn: 'sio' },
  SIOEMIT:   { code: 0x6a, shape: 'crrr',   doc: 'command: emit event R[b] with message R[c] in namespace R[a] of C[c]', conn: 'sio' },
  SIOSUB:    { code: 0x6b, shape: 'crr',    doc: 'command: subscribe to event R[b] in namespace R[a] of C[c]', conn: 'sio' },
  SIOUNSUB:  { code: 0x6c, shape: 'crr',    doc: 'command: unsubscribe from event R[b] in namespace R[a] of C[c]', conn: 'sio' },
} as const satisfies Record<string, OpRow>;

export type OpName = keyof typeof OPS;
export const OP_NAMES = Object.keys(OPS) as OpName[];

/** Opcode number → name; undefined for an unknown opcode. */
export const OP_BY_CODE: ReadonlyArray<OpName | undefined> = (() => {
  const t: (OpName | undefined)[] = new Array(256).fill(undefined);
  for (const name of OP_NAMES) {
    const code = OPS[name].code;
    if (t[code] !== undefined) throw new Error(`opcode table: ${name} and ${t[code]} share code ${code}`);
    t[code] = name;
  }
  return t;
})();

/** Opcode numbers by name, for emitters and the VM's switch. */
export const OP = Object.fromEntries(OP_NAMES.map((n) => [n, OPS[n].code])) as { readonly [K in OpName]: (typeof OPS)[K]['code'] };

/**
 * The number of words an instruction at `pc` occupies (opcode included),
 * or -1 if its variadic count is missing or negative.
 */
export function instructionLength(code: ArrayLike<number>, pc: number, name: OpName): number {
  const shape = OPS[name].shape;
  if (!shape.endsWith('*')) return 1 + shape.length;
  const countAt = pc + shape.length; // the word after the fixed operands
  if (countAt >= code.length || code[countAt] < 0) return -1;
  return 1 + shape.length + code[countAt]; // may run past the end: the verifier says by how much
}
