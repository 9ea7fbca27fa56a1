import assert from 'node:assert/strict';
import { disassemble, encode, decode, strip, OP, OPS, OP_BY_CODE } from '../../runtime/schedule/index.ts';
import { sample, minimal } from './fixture.ts';

// The whole listing of the sample: a change here is a change users see.
const GOLDEN = `; pulsewire schedule "Demo"
; tick rate 60 Hz, start scene s0(Dashboard), random seed 12345
; limits {"tickBudget":5000,"callDepth":32}
; 13 constants, 2 connections, 2 scenes, 2 variables, 3 events, 8 registers, 28 code words, debug map of 4 node ranges

constants
  k0   null
  k1   false
  k2   true
  k3   42
  k4   -7
  k5   0.5
  k6   -0
  k7   9007199254740992
  k8   "Speed: {0} km/h ✓"
  k9   bin(3):0001ff
  k10  [1,"two",{"three":3}]
  k11  {"a":null,"b":[true]}
  k12  ""

connections
  c0  ws   Telemetry  wss://***@telemetry.local:8443/feed?***  options: headers, reconnect
  c1  sio  Status  http://127.0.0.1:3000  options: (none)

scenes
  s0  Dashboard
  s1  Settings

variables
  v0  speed  Float  scope project  init k5=0.5
  v1  Dashboard/visible  Bool  scope s0(Dashboard)  init k2=true

events
  e0  SceneLoaded s0(Dashboard)  scope s0(Dashboard)  pc 0000
  e1  WsReceive c0(Telemetry)  scope project  pc 0017  payload r5(Message)  flags 1
  e2  SioReceive c1(Status)  scope s1(Settings)  pc 0020  payload r6(Namespace) r7(Trigger Name) r5(Message)

registers 8
  r3 := k8="Speed: {0} km/h ✓"
  r4 := k3=42

code
; Scene:Dashboard/n1
; entry of e0 SceneLoaded s0(Dashboard)
  0000  VGET      d1, v0(speed)
; Scene:Dashboard/n2
  0003  FORMAT    d2, r3, [r1, r4]
  0009  WSSEND    c0(Telemetry), r2, n0
  0013  CONSOLE   n0, r2
  0016  RET
; Project/n7
; entry of e1 WsReceive c0(Telemetry)
  0017  JF        r5, j:0025
; entry of e2 SioReceive c1(Status)
  0020  SIOEMIT   c1(Status), r6, r7, r5
; Project/n8
  0025  CALL      j:0000
  0027  RET
`;

/** The listing's code part, after its "code" heading. */
const codeOf = (text: string): string => text.slice(text.indexOf('\ncode\n') + '\ncode\n'.length);

describe('schedule/disasm', () => {
  it('lists the sample schedule exactly (golden)', () => {
    assert.equal(disassemble(sample()), GOLDEN);
  });

  it('lists a decoded file the same as the schedule it came from', () => {
    assert.equal(disassemble(decode(encode(sample()))), GOLDEN);
  });

  it('never shows connection option values or URL credentials', () => {
    const text = disassemble(sample());
    for (const secret of ['secret', 'token', 'abc', 'Bearer', 'xyz', 'maxAttempts', 'user:']) {
      assert.ok(!text.includes(secret), `listing shows ${secret}`);
    }
  });

  it('without a debug map, shows no node lines', () => {
    const text = disassemble(strip(sample()));
    assert.ok(!text.includes('; Scene:') && !text.includes('; Project/'));
    assert.match(text, /, no debug map\n/);
    assert.match(disassemble(minimal()), /; 0 constants, 0 connections, 0 scenes, 0 variables, 0 events, 0 registers, 1 code word, no debug map\n/);
  });

  it('with explain, appends each row\'s doc from the opcode table', () => {
    const lines = disassemble(sample(), { explain: true }).split('\n').filter((l) => /^ {2}\d{4} {2}/.test(l));
    assert.equal(lines.length, 9);
    for (const line of lines) {
      const name = line.slice(8, 18).trim() as keyof typeof OPS;
      assert.ok(line.endsWith(`; ${OPS[name].doc}`), line);
    }
    assert.equal(lines[1], '  0003  FORMAT    d2, r3, [r1, r4]              ; R[d] := R[a] with {i} replaced by text(R[args[i]])');
  });

  it('renders every operand kind by its letter', () => {
    const s = sample();
    s.code = Int32Array.from([OP.JNSCENE, 1, 3, OP.TSTART, 0, 1, 0, 0, 1, 2, OP.RET]);
    s.events = [];
    delete s.debug;
    const code = codeOf(disassemble(s));
    assert.equal(code, [
      '  0000  JNSCENE   s1(Settings), j:0003',
      '  0003  TSTART    d0, r1, j:0000, j:0000, n1, n2',
      '  0010  RET',
      '',
    ].join('\n'));
  });

  it('shows what it can of an unverified schedule instead of throwing', () => {
    const s = sample();
    s.code = Int32Array.from([0x7f, OP.VGET, 99, 7, OP.FORMAT, 0, 1, 1000]);
    s.events = [];
    delete s.debug;
    const code = codeOf(disassemble(s));
    assert.equal(code, [
      '  0000  .word     127   ; unknown opcode',
      '  0001  VGET      d99, v7(?)',
      '  0004  FORMAT    d0, r1, []',
      '',
    ].join('\n'));
    assert.equal(OP_BY_CODE[0x7f], undefined);
  });

  it('widens pcs past 9999 words so that columns stay aligned', () => {
    const s = sample();
    s.code = new Int32Array(10001).fill(OP.NOP);
    s.code[10000] = OP.RET;
    s.events = [];
    delete s.debug;
    const code = codeOf(disassemble(s)).split('\n');
    assert.equal(code[0], '  00000  NOP');
    assert.equal(code[10000], '  10000  RET');
  });
});
