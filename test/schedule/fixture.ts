// A small hand-built schedule that touches every part of the format: every
// constant tag, both connection kinds, a variadic FORMAT, events of three
// kinds, scene and project variables, register initialisers, a debug map.
// Tests copy it (sample()) and break one thing at a time.

import { OP, EVENT_KINDS, type Schedule } from '../../runtime/schedule/index.ts';
import { TYPES } from '../../runtime/values.ts';

export function sample(): Schedule {
  return {
    meta: { name: 'Demo', tickRateHz: 60, startScene: 0, randomSeed: 12345, limits: { tickBudget: 5000, callDepth: 32 } },
    consts: [
      null, //                                    k0  tag null
      false, //                                   k1  tag false
      true, //                                    k2  tag true
      42, //                                      k3  tag int
      -7, //                                      k4  tag int (zigzag)
      0.5, //                                     k5  tag f64
      -0, //                                      k6  tag f64 (int cannot hold -0)
      2 ** 53, //                                 k7  tag f64 (outside the int range)
      'Speed: {0} km/h ✓', //                     k8  tag string (UTF-8, multi-byte)
      new Uint8Array([0, 1, 255]), //             k9  tag binary
      [1, 'two', { three: 3 }], //                k10 tag json (array)
      { a: null, b: [true] }, //                  k11 tag json (object)
      '', //                                      k12 tag string (empty)
    ],
    connections: [
      {
        kind: 'ws', name: 'Telemetry', url: 'wss://user:secret@telemetry.local:8443/feed?token=abc',
        options: { headers: { Authorization: 'Bearer xyz' }, reconnect: { maxAttempts: 5 } },
      },
      { kind: 'sio', name: 'Status', url: 'http://127.0.0.1:3000', options: {} },
    ],
    scenes: ['Dashboard', 'Settings'],
    variables: [
      { name: 'speed', type: TYPES.Float, scene: -1, init: 5 },
      { name: 'Dashboard/visible', type: TYPES.Bool, scene: 0, init: 2 },
    ],
    events: [
      { kind: EVENT_KINDS.SceneLoaded, key: 0, scene: 0, flags: 0, pc: 0, regs: [] },
      { kind: EVENT_KINDS.WsReceive, key: 0, scene: -1, flags: 1, pc: 17, regs: [5] },
      { kind: EVENT_KINDS.SioReceive, key: 1, scene: 1, flags: 0, pc: 20, regs: [6, 7, 5] },
    ],
    regCount: 8,
    regInit: [3, 8, 4, 3],
    code: Int32Array.from([
      OP.VGET, 1, 0, //             0   d1 := speed
      OP.FORMAT, 2, 3, 2, 1, 4, //  3   d2 := format(r3, [r1, r4])
      OP.WSSEND, 0, 2, 0, //        9   send r2 on Telemetry (text)
      OP.CONSOLE, 0, 2, //          13  console info r2
      OP.RET, //                    16
      OP.JF, 5, 25, //              17  if not r5 goto 25
      OP.SIOEMIT, 1, 6, 7, 5, //    20  emit on Status
      OP.CALL, 0, //                25  call 0
      OP.RET, //                    27
    ]),
    debug: {
      pcs: [0, 3, 17, 25],
      nodes: ['Scene:Dashboard/n1', 'Scene:Dashboard/n2', 'Project/n7', 'Project/n8'],
    },
  };
}

/** The smallest valid schedule: no scenes, no constants, one RET. */
export function minimal(): Schedule {
  return {
    meta: { name: '', tickRateHz: 60, startScene: -1, randomSeed: 0, limits: {} },
    consts: [], connections: [], scenes: [], variables: [], events: [],
    regCount: 0, regInit: [], code: Int32Array.from([OP.RET]),
  };
}
