// The one error type of the schedule layer. Both a damaged .pws file
// (decode) and an inconsistent in-memory schedule (verify) end here, in the
// style of Lua's lundump: "bad binary format (why)". Loading a schedule
// never fails with anything else, so a host can catch exactly this type.

export class ScheduleError extends Error {
  /** Byte offset in the file, when the problem is at a known place in the bytes. */
  readonly offset?: number;
  /** Program counter (code word index), when the problem is in an instruction. */
  readonly pc?: number;
  /** The sentence inside the parentheses, without the "bad schedule file" frame. */
  readonly reason: string;

  constructor(reason: string, where: { offset?: number; pc?: number } = {}) {
    const at = where.offset !== undefined ? `at byte ${where.offset}: ` : '';
    super(`bad schedule file (${at}${reason})`);
    this.name = 'ScheduleError';
    this.reason = reason;
    if (where.offset !== undefined) this.offset = where.offset;
    if (where.pc !== undefined) this.pc = where.pc;
  }
}
