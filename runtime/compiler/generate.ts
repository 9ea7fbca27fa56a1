// Code generation: from the resolved graph to a Schedule.
//
// Layout. pc 0 holds a RET that every unlinked pulse output jumps to. Then
// one block per reachable node, in worklist order starting from the event
// table. A node's code ends with a tail jump along its last output pulse;
// when that target has not been placed yet, the jump is dropped and the
// target's block is placed right after, so a straight chain of actions is
// straight-line code.
//
// Data. Every data output has a register. Outputs of event and action nodes
// keep their last value (they start at the type's default). Pure data
// nodes are compiled inline, in dependency order, right before the node
// that reads them, at most once per reading node. Literals and value nodes
// are constant registers, set once when the VM starts.

import { OPS, OP, type OpName } from '../schedule/opcodes.ts';
import { EVENT_KINDS, EVENT_PAYLOAD, type EventEntry, type Schedule } from '../schedule/schedule.ts';
import { PULSE, type Label, type NodeGen, type Operand, type ProjectGen } from './catalogue/types.ts';
import { isPure, type Graph, type RNode } from './graph.ts';
import { TYPES, defaultValue, linkRule, hex, type TypeName, type Value } from '../values.ts';

interface LabelImpl extends Label {
  label: number;
}

type Block = { kind: 'node'; node: RNode } | { kind: 'fanout'; from: RNode; targets: RNode[]; label: LabelImpl };

export function generate(graph: Graph): Schedule {
  const code: number[] = [];
  const labels: number[] = []; // label → pc, -1 until marked
  const fixups: { at: number; label: number }[] = [];
  const consts: Value[] = [];
  const constIndex = new Map<string, number>();
  const constRegs = new Map<number, number>(); // constant index → register
  const regInit: number[] = [];
  let regCount = 0;
  const debugPcs: number[] = [];
  const debugNodes: string[] = [];
  let currentDebug = '';

  const newLabel = (): LabelImpl => ({ label: labels.push(-1) - 1 });
  const mark = (l: Label) => { labels[l.label] = code.length; };
  const constant = (v: Value): number => {
    const key = constKey(v);
    let k = constIndex.get(key);
    if (k === undefined) {
      k = consts.push(v) - 1;
      constIndex.set(key, k);
    }
    return k;
  };
  const constReg = (v: Value): number => {
    const k = constant(v);
    let r = constRegs.get(k);
    if (r === undefined) {
      r = regCount++;
      regInit.push(r, k);
      constRegs.set(k, r);
    }
    return r;
  };
  const freshReg = (initial?: Value): number => {
    const r = regCount++;
    if (initial !== undefined) regInit.push(r, constant(initial));
    return r;
  };
  const debug = (label: string) => {
    if (label === currentDebug) return;
    currentDebug = label;
    if (debugPcs.length && debugPcs[debugPcs.length - 1] === code.length) {
      debugNodes[debugNodes.length - 1] = label;
    } else {
      debugPcs.push(code.length);
      debugNodes.push(label);
    }
  };
  let lastJump = -1; // pc of the last emitted JMP, for the fall-through rewrite
  const emit = (op: OpName, operands: Operand[]) => {
    const shape = OPS[op].shape;
    const fixed = shape.endsWith('*') ? shape.length - 1 : shape.length;
    if (operands.length < fixed) throw new Error(`compiler: ${op} needs ${fixed} operands`);
    lastJump = op === 'JMP' ? code.length : -1;
    code.push(OP[op]);
    operands.forEach((o, i) => {
      if (typeof o === 'number') code.push(o);
      else {
        if (shape[i] !== 'j') throw new Error(`compiler: ${op} operand ${i} is not a jump`);
        fixups.push({ at: code.length, label: o.label });
        code.push(0);
      }
    });
  };

  // ── outputs that a data link reads ──
  // An output that nothing reads needs no starting value (regInit), and a Variable Setter need not copy
  // a value into it: nothing can observe it. So a node that reads its own output before writing it must
  // keep that value in g.state(), never in its output.
  const readOuts = new Map<RNode, Set<string>>();
  for (const scope of graph.scopes) {
    for (const n of scope.nodes) {
      for (const src of n.dataIn.values()) {
        let pins = readOuts.get(src.node);
        if (!pins) readOuts.set(src.node, (pins = new Set()));
        pins.add(src.pin);
      }
    }
  }
  const isRead = (n: RNode, pin: string): boolean => readOuts.get(n)?.has(pin) ?? false;

  // ── registers of node outputs ──
  const outRegs = new Map<RNode, Map<string, number>>();
  const outReg = (n: RNode, pin: string): number => {
    let m = outRegs.get(n);
    if (!m) outRegs.set(n, (m = new Map()));
    let r = m.get(pin);
    if (r === undefined) {
      const constantValue = n.spec.constant?.(n.attrs);
      if (constantValue !== undefined) r = constReg(constantValue);
      else if (isPure(n)) r = freshReg();
      else r = freshReg(isRead(n, pin) ? defaultValue(n.outType.get(pin) ?? 'Any') : undefined);
      m.set(pin, r);
    }
    return r;
  };

  // ── blocks ──
  const RET_LABEL = newLabel();
  mark(RET_LABEL);
  emit('RET', []);
  const entries = new Map<RNode, LabelImpl>();
  const entryOwner = new Map<number, RNode>(); // label → the node it enters
  const placed = new Set<RNode>();
  const queue: Block[] = [];
  const entry = (n: RNode): LabelImpl => {
    let l = entries.get(n);
    if (!l) {
      entries.set(n, (l = newLabel()));
      entryOwner.set(l.label, n);
      queue.push({ kind: 'node', node: n });
    }
    return l;
  };
  const fanouts = new Map<string, LabelImpl>();
  /** The chain an output pulse starts: its one target, a fan-out block for several, RET for none. */
  const pulseLabel = (n: RNode, pin: string): LabelImpl => {
    const targets = n.pulseOut.get(pin) ?? [];
    if (targets.length === 0) return RET_LABEL;
    if (targets.length === 1) return entry(targets[0]);
    const key = `${n.label}\u0000${pin}`;
    let l = fanouts.get(key);
    if (!l) {
      fanouts.set(key, (l = newLabel()));
      queue.push({ kind: 'fanout', from: n, targets, label: l });
    }
    return l;
  };

  // ── whole-project services for Event Trigger, Variable Setter, Function ──
  const listeners = (type: string, match: (n: RNode) => boolean): RNode[] =>
    graph.scopes.flatMap((s) => s.nodes.filter((n) => n.decl.type === type && match(n)));
  const guardScene = (n: RNode, body: () => void) => {
    if (n.scope.scene < 0) return body();
    const skip = newLabel();
    emit('JNSCENE', [n.scope.scene, skip]);
    body();
    mark(skip);
  };
  const resultRegs = new Map<string, Map<string, number>>();
  const fnResults = (name: string): Map<string, number> => {
    let m = resultRegs.get(name);
    if (!m) {
      const fn = graph.functions.get(name)!;
      m = new Map(fn.results.map((r) => [r.name, freshReg(defaultValue(r.type))]));
      resultRegs.set(name, m);
    }
    return m;
  };

  // ── one node's code ──
  const placeNode = (node: RNode) => {
    placed.add(node);
    mark(entries.get(node)!);
    const evaluated = new Set<RNode>();
    const gen = (n: RNode): NodeGen => {
      const project: ProjectGen = {
        triggerCustomEvent(event, args) {
          for (const l of listeners('Event Listener', (x) => x.attrs.Event === event)) {
            guardScene(l, () => {
              args.forEach((a, i) => emit('MOV', [outReg(l, `Parameter ${i}`), a]));
              emit('CALL', [entry(l)]);
            });
          }
        },
        listensTo: (variable) => listeners('On Variable Change', (x) => x.refs.variable === variable).length > 0,
        notifyVariableChange(variable, value) {
          const ls = listeners('On Variable Change', (x) => x.refs.variable === variable);
          if (ls.length === 0) return;
          const skip = newLabel();
          emit('JNCHG', [skip]);
          for (const l of ls) guardScene(l, () => {
            emit('MOV', [outReg(l, 'Value'), value]);
            emit('CALL', [entry(l)]);
          });
          mark(skip);
        },
        callFunction(name, arg) {
          const fn = graph.functions.get(name)!;
          for (const p of fn.parameters) emit('MOV', [outReg(fn.input!, p.name), arg(p.name)]);
          // The result registers are shared by every call of the function: start each call from the
          // defaults, or a body that reaches no Function Output would hand back an earlier call's results.
          const results = fnResults(name);
          for (const r of fn.results) emit('MOV', [results.get(r.name)!, constReg(defaultValue(r.type))]);
          emit('CALL', [entry(fn.input!)]);
          return results;
        },
        ownResults: () => fnResults(n.scope.fn!.name),
      };
      const g: NodeGen = {
        attr: <T>(name: string) => n.attrs[name] as T,
        in: (pin) => inputReg(n, pin),
        inputTo: (pin, dest) => {
          const { reg, convert } = inputSource(n, pin);
          debug(n.label);
          emit(convert === undefined ? 'MOV' : 'CONV', convert === undefined ? [dest, reg] : [dest, reg, convert]);
        },
        out: (pin) => outReg(n, pin),
        read: (pin) => isRead(n, pin),
        emit: (op, ...operands) => { debug(n.label); emit(op, operands); },
        label: newLabel,
        mark,
        pulse: (pin) => pulseLabel(n, pin),
        linked: (pin) => (n.pulseOut.get(pin)?.length ?? 0) > 0,
        call: (pin) => { if (g.linked(pin)) { debug(n.label); emit('CALL', [pulseLabel(n, pin)]); } },
        goto: (pin) => {
          debug(n.label);
          if (g.linked(pin)) emit('JMP', [pulseLabel(n, pin)]);
          else emit('RET', []);
        },
        constant: constReg,
        temp: () => freshReg(),
        state: (initial) => freshReg(initial),
        connection: () => n.refs.connection!,
        variable: () => n.refs.variable!,
        scene: (attr) => n.refs.scene?.get(attr) ?? -1,
        ownerScene: () => n.scope.scene + 1,
        inputType: (pin) => n.inType.get(pin) ?? 'Any',
        project,
      };
      return g;
    };
    /**
     * Where a data input's value is: a register, and the type code to convert it to when the link needs
     * a conversion. Pure sources are compiled here first.
     */
    const inputSource = (n: RNode, pin: string): { reg: number; convert?: number } => {
      const src = n.dataIn.get(pin);
      const want = n.inType.get(pin) ?? 'Any';
      if (!src) {
        const lit = n.literals.get(pin) ?? n.inputs.get(pin)?.default;
        return { reg: constReg(lit === undefined ? defaultValue(want) : lit) };
      }
      if (isPure(src.node) && !src.node.spec.constant && !evaluated.has(src.node)) {
        evaluated.add(src.node);
        src.node.spec.compile!(gen(src.node));
      }
      const reg = outReg(src.node, src.pin);
      const from = src.node.outType.get(src.pin) ?? 'Any';
      const rule = linkRule(from, want);
      // Any→T is checked at run time; Bool/Int/Float→String becomes text. Int→Float and →Any need nothing.
      return rule === 'check' || (rule === 'widen' && want === 'String') ? { reg, convert: TYPES[want as TypeName] } : { reg };
    };
    /** The register with a data input's value (converted into a scratch register when the link needs it). */
    const inputReg = (n: RNode, pin: string): number => {
      const { reg, convert } = inputSource(n, pin);
      if (convert === undefined) return reg;
      const t = freshReg();
      debug(n.label);
      emit('CONV', [t, reg, convert]);
      return t;
    };

    const g = gen(node);
    if (node.spec.kind === 'event') g.goto(PULSE);
    else {
      node.spec.compile!(g);
      if (node.spec.kind === 'data') g.goto(PULSE);
    }
  };

  const placeFanout = (b: Extract<Block, { kind: 'fanout' }>) => {
    mark(b.label);
    debug(b.from.label);
    b.targets.forEach((t, i) => emit(i < b.targets.length - 1 ? 'CALL' : 'JMP', [entry(t)]));
  };

  // ── the event table seeds the worklist, in listener order ──
  const events: EventEntry[] = [];
  for (const scope of graph.scopes) {
    for (const n of scope.nodes) {
      const ev = n.spec.event;
      if (!ev) continue;
      let key = n.refs.connection ?? -1;
      if (ev.kind === 'SceneLoaded') key = n.refs.scene?.get('Scene') ?? scope.scene;
      events.push({
        kind: EVENT_KINDS[ev.kind], key, scene: scope.scene, flags: ev.flags?.(n.attrs) ?? 0,
        pc: entry(n).label, // a label for now; replaced by its pc below
        regs: EVENT_PAYLOAD[ev.kind].map((pin) => outReg(n, pin)),
      });
    }
  }

  while (queue.length) {
    const b = queue.shift()!;
    if (b.kind === 'fanout') { placeFanout(b); continue; }
    if (placed.has(b.node)) continue;
    placeNode(b.node);
    // Fall through into the target of a final tail jump when it is not placed yet.
    for (;;) {
      if (lastJump < 0 || lastJump !== code.length - 2) break;
      const target = fixups[fixups.length - 1];
      const next = entryOwner.get(target.label);
      if (!next || placed.has(next)) break;
      code.length -= 2;
      fixups.pop();
      lastJump = -1;
      placeNode(next);
    }
  }

  for (const f of fixups) code[f.at] = labels[f.label];
  for (const e of events) e.pc = labels[e.pc];
  // Trailing debug entries that point past the end belong to nothing.
  while (debugPcs.length && debugPcs[debugPcs.length - 1] >= code.length) { debugPcs.pop(); debugNodes.pop(); }

  const variables = graph.variables.map((v, i) => ({ ...v, init: constant(graph.variableInit[i]) }));
  return {
    meta: { name: graph.name, tickRateHz: graph.tickRateHz, startScene: graph.startScene, randomSeed: graph.randomSeed, limits: graph.limits },
    consts,
    connections: graph.connections,
    scenes: graph.scenes,
    variables,
    events,
    regCount,
    regInit,
    code: Int32Array.from(code),
    debug: { pcs: debugPcs, nodes: debugNodes },
  };
}

/** Constants are shared by value and type: 1 (Int) and 1.0 are one number in JS, so one constant. */
function constKey(v: Value): string {
  if (v instanceof Uint8Array) return 'b' + hex(v);
  if (typeof v === 'number' && Object.is(v, -0)) return 'n-0';
  return typeof v + JSON.stringify(v);
}
