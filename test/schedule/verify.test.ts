// One test per verifier rule: take the valid sample, break exactly one thing,
// and check the message names where (pc and opcode, or the table entry).

import assert from 'node:assert/strict';
import {
  verify, encode, decode, disassemble, ScheduleError, OP, OPS, OP_NAMES, EVENT_KINDS, MAX_REGISTERS, type Schedule,
} from '../../runtime/schedule/index.ts';
import { SeededRandom } from '../../runtime/random.ts';
import { TYPES } from '../../runtime/values.ts';
import { sample, minimal } from './fixture.ts';

/** verify() must throw a ScheduleError matching `message`; returns it. */
function fails(s: Schedule, message: RegExp): ScheduleError {
  try {
    verify(s);
  } catch (e) {
    assert.ok(e instanceof ScheduleError, `expected a ScheduleError, got ${String(e)}`);
    assert.match(e.message, message);
    assert.equal(e.offset, undefined, 'an in-memory schedule has no byte offsets');
    return e;
  }
  return assert.fail(`verify accepted a schedule that should fail with ${message}`);
}

/** The sample's tables with other code, and no events or debug map pointing into it. */
function withCode(...words: number[]): Schedule {
  const s = sample();
  s.code = Int32Array.from(words);
  s.events = [];
  delete s.debug;
  return s;
}

describe('schedule/verify: accepts', () => {
  it('the sample and the minimal schedule', () => {
    verify(sample());
    verify(minimal());
  });

  it('empty code when nothing points into it', () => {
    verify({ ...minimal(), code: new Int32Array(0) });
  });

  it('every opcode of the table with in-range operands (derived from the table)', () => {
    for (const name of OP_NAMES) {
      const row = OPS[name] as { shape: string; ends?: true };
      const words: number[] = [OP[name]];
      for (const letter of row.shape) {
        if (letter === '*') words.push(2, 0, 1);
        else if (letter === 'c') words.push(name.startsWith('SIO') ? 1 : 0);
        else words.push(0);
      }
      if (!row.ends) words.push(OP.RET);
      verify(withCode(...words));
    }
  });
});

describe('schedule/verify: instructions', () => {
  it('an unknown opcode', () => {
    const e = fails(withCode(OP.NOP, 0x7f, OP.RET), /^bad schedule file \(pc 1: unknown opcode 127\)$/);
    assert.equal(e.pc, 1);
    fails(withCode(-1), /pc 0: unknown opcode -1/);
  });

  it('a written register out of range (d)', () => {
    const e = fails(withCode(OP.VGET, 8, 0, OP.RET), /pc 0, VGET: register d8 is out of range \(8 registers\)/);
    assert.equal(e.pc, 0);
  });

  it('a read register out of range (r), also among variadic arguments', () => {
    fails(withCode(OP.MOV, 0, 9, OP.RET), /pc 0, MOV: register r9 is out of range/);
    fails(withCode(OP.NOP, OP.FORMAT, 2, 3, 2, 1, 8, OP.RET), /pc 1, FORMAT: register r8 is out of range \(8 registers\)/);
  });

  it('a jump target that is not an instruction start, or outside the code', () => {
    const s = sample();
    s.code[19] = 26; // JF at 17 into the middle of CALL at 25
    const e = fails(s, /^bad schedule file \(pc 17, JF: jump target 26 is not an instruction start\)$/);
    assert.equal(e.pc, 17);
    fails(withCode(OP.JMP, 99), /pc 0, JMP: jump target 99 is not an instruction start/);
    fails(withCode(OP.JMP, -1), /pc 0, JMP: jump target -1/);
    fails(withCode(OP.RET, OP.TSTART, 0, 1, 0, 3, 0, 0, OP.RET), /pc 1, TSTART: jump target 3 is not an instruction start/);
  });

  it('a connection out of range, or of the wrong kind for the opcode', () => {
    fails(withCode(OP.WSSTART, 2, OP.RET), /pc 0, WSSTART: connection c2 does not exist \(2 connections\)/);
    fails(withCode(OP.WSSTART, 1, OP.RET), /pc 0, WSSTART: connection c1 \(Status\) is a Socket.IO connection, WSSTART needs a WebSocket one/);
    fails(withCode(OP.SIOSUB, 0, 1, 2, OP.RET), /pc 0, SIOSUB: connection c0 \(Telemetry\) is a WebSocket connection, SIOSUB needs a Socket.IO one/);
  });

  it('a variable out of range (v)', () => {
    fails(withCode(OP.VSET, 2, 0, OP.RET), /pc 0, VSET: variable v2 does not exist \(2 variables\)/);
  });

  it('a scene out of range (s)', () => {
    fails(withCode(OP.LOADSCENE, 2, OP.RET), /pc 0, LOADSCENE: scene s2 does not exist \(2 scenes\)/);
    fails(withCode(OP.JNSCENE, 5, 0, OP.RET), /pc 0, JNSCENE: scene s5 does not exist/);
  });

  it('an immediate above the row bound (n)', () => {
    fails(withCode(OP.CONSOLE, 3, 0, OP.RET), /pc 0, CONSOLE: immediate n3 is out of range \(0 to 2\)/);
    fails(withCode(OP.CONV, 0, 0, 6, OP.RET), /pc 0, CONV: immediate n6 is out of range \(0 to 5\)/);
    fails(withCode(OP.WSSEND, 0, 0, 2, OP.RET), /pc 0, WSSEND: immediate n2 is out of range \(0 to 1\)/);
  });

  it('a variadic count that runs past the end, is negative, or is missing', () => {
    fails(withCode(OP.RET, OP.FORMAT, 0, 1, 5, 2, 3), /pc 1, FORMAT: the instruction needs 9 words, the code has 6 left/);
    fails(withCode(OP.RET, OP.FORMAT, 0, 1, -2, OP.RET), /pc 1, FORMAT: negative argument count -2/);
    fails(withCode(OP.RET, OP.FORMAT, 0, 1), /pc 1, FORMAT: the code ends before its argument count/);
  });

  it('a fixed-size instruction cut off by the end of the code', () => {
    fails(withCode(OP.RET, OP.VGET, 1), /pc 1, VGET: the instruction needs 3 words, the code has 2 left/);
  });

  it('code that can fall off its end', () => {
    const e = fails(withCode(OP.RET, OP.MOV, 0, 1), /pc 1, MOV: the code ends without RET or JMP \(control would run off the end\)/);
    assert.equal(e.pc, 1);
    fails(withCode(OP.CALL, 0), /pc 0, CALL: the code ends without RET or JMP/);
  });

  it('code that is not an Int32Array', () => {
    fails({ ...minimal(), code: [1] as unknown as Int32Array }, /code is not an Int32Array/);
  });
});

describe('schedule/verify: tables', () => {
  it('event: unknown kind', () => {
    const s = sample();
    s.events[1].kind = 99 as never;
    fails(s, /event e1: unknown event kind 99/);
  });

  it('event: entry pc not an instruction start, or outside the code', () => {
    const s = sample();
    s.events[1].pc = 18;
    fails(s, /event e1 \(WsReceive\): entry pc 18 is not an instruction start/);
    s.events[1].pc = 28;
    fails(s, /event e1 \(WsReceive\): entry pc 28 is not an instruction start/);
  });

  it('event: payload register count differs from EVENT_PAYLOAD', () => {
    const s = sample();
    s.events[1].regs = [];
    fails(s, /event e1 \(WsReceive\): 0 payload registers, WsReceive has 1 \(Message\)/);
    s.events[1].regs = [5];
    s.events[0].regs = [1];
    fails(s, /event e0 \(SceneLoaded\): 1 payload register, SceneLoaded has 0\)/);
  });

  it('event: payload register out of range', () => {
    const s = sample();
    s.events[2].regs = [6, 8, 5];
    fails(s, /event e2 \(SioReceive\): payload register r8 \(Trigger Name\) is out of range \(8 registers\)/);
  });

  it('event: scene out of range', () => {
    const s = sample();
    s.events[2].scene = 2;
    fails(s, /event e2 \(SioReceive\): scene 2 does not exist \(2 scenes\)/);
  });

  it('event: connection key out of range or of the wrong kind; scene key out of range', () => {
    const s = sample();
    s.events[1].key = 1;
    fails(s, /event e1 \(WsReceive\): connection c1 \(Status\) is a Socket.IO connection, not a WebSocket one/);
    s.events[1].key = 7;
    fails(s, /event e1 \(WsReceive\): connection c7 does not exist/);
    const t = sample();
    t.events[0].key = 2;
    fails(t, /event e0 \(SceneLoaded\): key 2 is neither a scene nor -1/);
    t.events[0].key = -1;
    verify(t);
  });

  it('event: unknown flags', () => {
    const s = sample();
    s.events[1].flags = 2;
    fails(s, /event e1 \(WsReceive\): unknown flags 2/);
  });

  it('variable: unknown type code', () => {
    const s = sample();
    s.variables[0].type = 9 as never;
    fails(s, /variable v0 \(speed\): unknown type code 9/);
  });

  it('variable: initial value out of range or of the wrong type', () => {
    const s = sample();
    s.variables[0].init = 13;
    fails(s, /variable v0 \(speed\): initial value k13 does not exist \(13 constants\)/);
    s.variables[0].init = 8;
    fails(s, /variable v0 \(speed\): initial value k8 is not of type Float/);
    s.variables[0] = { name: 'count', type: TYPES.Int, scene: -1, init: 5 };
    fails(s, /variable v0 \(count\): initial value k5 is not of type Int/);
  });

  it('variable: scene out of range', () => {
    const s = sample();
    s.variables[1].scene = 2;
    fails(s, /variable v1 \(Dashboard\/visible\): scene 2 does not exist/);
  });

  it('register initialisers: odd length, register or constant out of range', () => {
    const s = sample();
    s.regInit = [3, 8, 4];
    fails(s, /register initialisers are not \(register, constant\) pairs/);
    s.regInit = [3, 8, 8, 3];
    fails(s, /register initialiser 1: register r8 is out of range \(8 registers\)/);
    s.regInit = [3, 13];
    fails(s, /register initialiser 0: constant k13 does not exist \(13 constants\)/);
  });

  it('register count out of bounds', () => {
    fails({ ...minimal(), regCount: MAX_REGISTERS + 1 }, /register count 1048577 is not an integer from 0 to 1048576/);
    fails({ ...minimal(), regCount: -1 }, /register count -1/);
  });

  it('meta: start scene out of range, or -1 while scenes exist, or a scene when there are none', () => {
    const s = sample();
    s.meta.startScene = 2;
    fails(s, /meta: start scene 2 is not a scene \(2 scenes\)/);
    s.meta.startScene = -1;
    fails(s, /meta: start scene -1 is not a scene/);
    fails({ ...minimal(), meta: { ...minimal().meta, startScene: 0 } }, /meta: start scene 0 is not -1 \(the project has no scenes\)/);
  });

  it('meta: tick rate, random seed, limits', () => {
    const m = (patch: object): Schedule => ({ ...minimal(), meta: { ...minimal().meta, ...patch } });
    fails(m({ tickRateHz: 0 }), /meta: tick rate 0 Hz is not a positive number/);
    fails(m({ tickRateHz: Infinity }), /meta: tick rate Infinity Hz/);
    fails(m({ randomSeed: -1 }), /meta: random seed -1 is not a 32-bit unsigned integer/);
    fails(m({ randomSeed: 2 ** 32 }), /meta: random seed 4294967296/);
    fails(m({ limits: { queueCap: 5 } }), /meta: unknown limit "queueCap"/);
    fails(m({ limits: { timers: 0 } }), /meta: limit timers is not a positive integer/);
    fails(m({ limits: [] }), /meta: limits is not an object/);
  });

  it('debug map: pcs not increasing, not instruction starts, outside the code, lengths differ', () => {
    const s = sample();
    s.debug!.pcs = [0, 17, 3, 25];
    fails(s, /debug map entry 2: pc 3 does not follow pc 17 \(pcs must increase\)/);
    s.debug!.pcs = [0, 3, 3, 25];
    fails(s, /debug map entry 2: pc 3 does not follow pc 3/);
    s.debug!.pcs = [0, 4, 17, 25];
    fails(s, /debug map entry 1: pc 4 is not an instruction start/);
    s.debug!.pcs = [0, 3, 17, 28];
    fails(s, /debug map entry 3: pc 28 is not an instruction start/);
    s.debug!.pcs = [0, 3, 17];
    fails(s, /debug map: pcs and nodes differ in length/);
  });

  it('constants that cannot be stored', () => {
    const s = sample();
    s.consts[10] = [1, new Uint8Array(1)];
    fails(s, /constant k10: a Binary value inside an array or object cannot be stored/);
    s.consts[10] = [new Date(0)] as never;
    fails(s, /constant k10: a non-plain object cannot be stored/);
    s.consts[10] = 'x\udfff';
    fails(s, /constant k10 holds a lone UTF-16 surrogate/);
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    s.consts[10] = deep as never;
    fails(s, /constant k10: nested deeper than 256/);
  });

  it('connections: kind, options; messages never show an option value', () => {
    const s = sample();
    s.connections[0].kind = 'mqtt' as never;
    fails(s, /connection c0: unknown kind "mqtt"/);
    const t = sample();
    t.connections[0].options = { headers: { Authorization: new Uint8Array([1]) } } as never;
    const e = fails(t, /connection c0 \(Telemetry\): option "headers": a Binary value inside/);
    assert.doesNotMatch(e.message, /Bearer|secret|token=/);
    t.connections[0].options = { token: NaN };
    fails(t, /option "token": NaN inside/);
  });
});

describe('schedule/verify: fuzzed code', () => {
  it('random code words: a ScheduleError or a schedule that round-trips and disassembles', () => {
    const rnd = new SeededRandom(7);
    const int = (n: number): number => Math.floor(rnd.next() * n);
    const codes = OP_NAMES.map((n) => OP[n] as number);
    let accepted = 0;
    for (let round = 0; round < 2000; round++) {
      const words: number[] = [];
      const n = 1 + int(24);
      for (let i = 0; i < n; i++) words.push(rnd.next() < 0.5 ? codes[int(codes.length)] : int(rnd.next() < 0.9 ? 10 : 300) - 5);
      const s = withCode(...words);
      if (round % 3 === 0) s.events = [{ kind: EVENT_KINDS.SceneLoaded, key: -1, scene: -1, flags: 0, pc: int(n), regs: [] }];
      try {
        verify(s);
      } catch (e) {
        if (!(e instanceof ScheduleError)) assert.fail(`round ${round}: threw ${String(e)}`);
        assert.match(e.message, /^bad schedule file \(/);
        continue;
      }
      accepted++;
      assert.deepStrictEqual(decode(encode(s)), s);
      assert.ok(disassemble(s).includes('\ncode\n'));
    }
    assert.ok(accepted > 0, 'some random programs should be valid');
  });
});
