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
//
// The steps: the event table seeds the worklist (eventTable), blocks are
// placed until it is empty (placeAll: placeNode, placeFanout), then the
// code is finished and the schedule assembled (assemble). Each node's code
// comes from its catalogue entry through the NodeGen of nodeGen(); calls
// into other graphs go through the ProjectGen of projectGen().

import { EVENT_KINDS, EVENT_PAYLOAD, type EventEntry, type Schedule } from '../schedule/schedule.ts';
import { PULSE, type NodeGen, type ProjectGen } from './catalogue/types.ts';
import type { NodeRole } from './catalogue/types.ts';
import { isPure, depthFirst, type Graph, type RNode } from './graph.ts';
import { TYPES, defaultValue, linkRule, type TypeName } from '../values.ts';
import { Assembler, type LabelImpl } from './assembler.ts';
import { Registers } from './registers.ts';

/** How far down a chain of pure data nodes one compile() may recurse (see evaluateDeepSources). */
const PURE_DEPTH_STEP = 256;

type Block = { kind: 'node'; node: RNode } | { kind: 'fanout'; from: RNode; targets: RNode[]; label: LabelImpl };

export function generate(graph: Graph): Schedule {
  return new Generator(graph).run();
}

class Generator {
  private readonly asm = new Assembler();
  private readonly regs = new Registers();
  /** The outputs a data link reads, per node. */
  private readonly readOuts: Map<RNode, Set<string>>;
  private readonly outRegs = new Map<RNode, Map<string, number>>();
  private readonly ret: LabelImpl;
  private readonly entries = new Map<RNode, LabelImpl>();
  private readonly entryOwner = new Map<number, RNode>(); // label → the node it enters
  private readonly placed = new Set<RNode>();
  private readonly queue: Block[] = [];
  private readonly fanouts = new Map<string, LabelImpl>();
  private readonly resultRegs = new Map<string, Map<string, number>>();

  constructor(private readonly graph: Graph) {
    this.readOuts = readOutputs(graph);
    this.ret = this.asm.newLabel();
    this.asm.mark(this.ret);
    this.asm.emit('RET', []);
  }

  run(): Schedule {
    const events = this.eventTable();
    this.placeAll();
    return this.assemble(events);
  }

  /** One entry per event node, in listener order; each seeds the worklist with its node. */
  private eventTable(): EventEntry[] {
    const events: EventEntry[] = [];
    for (const scope of this.graph.scopes) {
      for (const n of scope.nodes) {
        const ev = n.spec.event;
        if (!ev) continue;
        let key = n.refs.connection ?? -1;
        if (ev.kind === 'SceneLoaded') key = n.refs.scene?.get('Scene') ?? scope.scene;
        events.push({
          kind: EVENT_KINDS[ev.kind], key, scene: scope.scene, flags: ev.flags?.(n.attrs) ?? 0,
          pc: this.entry(n).label, // a label for now; replaced by its pc in assemble()
          regs: EVENT_PAYLOAD[ev.kind].map((pin) => this.outReg(n, pin)),
        });
      }
    }
    return events;
  }

  /** Places blocks until the worklist is empty, letting a final tail jump fall through into its target. */
  private placeAll(): void {
    while (this.queue.length) {
      const b = this.queue.shift()!;
      if (b.kind === 'fanout') {
        this.placeFanout(b);
        continue;
      }
      if (this.placed.has(b.node)) continue;
      this.placeNode(b.node);
      for (;;) {
        const target = this.asm.finalJumpTarget();
        const next = target === undefined ? undefined : this.entryOwner.get(target);
        if (!next || this.placed.has(next)) break;
        this.asm.dropFinalJump();
        this.placeNode(next);
      }
    }
  }

  private assemble(events: EventEntry[]): Schedule {
    const { code, debug } = this.asm.finish();
    for (const e of events) e.pc = this.asm.pcOf(e.pc);
    const { graph, regs } = this;
    const variables = graph.variables.map((v, i) => ({ ...v, init: regs.constant(graph.variableInit[i]) }));
    return {
      meta: { name: graph.name, tickRateHz: graph.tickRateHz, startScene: graph.startScene, randomSeed: graph.randomSeed, limits: graph.limits },
      consts: regs.consts,
      connections: graph.connections,
      scenes: graph.scenes,
      variables,
      events,
      regCount: regs.count,
      regInit: regs.init,
      code,
      debug,
    };
  }

  // ── blocks ──

  /** The label of a node's block, queued for placement on first use. */
  private entry(n: RNode): LabelImpl {
    let l = this.entries.get(n);
    if (!l) {
      this.entries.set(n, (l = this.asm.newLabel()));
      this.entryOwner.set(l.label, n);
      this.queue.push({ kind: 'node', node: n });
    }
    return l;
  }

  /** The chain an output pulse starts: its one target, a fan-out block for several, RET for none. */
  private pulseLabel(n: RNode, pin: string): LabelImpl {
    const targets = n.pulseOut.get(pin) ?? [];
    if (targets.length === 0) return this.ret;
    if (targets.length === 1) return this.entry(targets[0]);
    const key = `${n.label}\u0000${pin}`;
    let l = this.fanouts.get(key);
    if (!l) {
      this.fanouts.set(key, (l = this.asm.newLabel()));
      this.queue.push({ kind: 'fanout', from: n, targets, label: l });
    }
    return l;
  }

  /** A fan-out runs each target to completion, the last one as a tail jump. */
  private placeFanout(b: Extract<Block, { kind: 'fanout' }>): void {
    this.asm.mark(b.label);
    this.asm.debug(b.from.label);
    b.targets.forEach((t, i) => this.asm.emit(i < b.targets.length - 1 ? 'CALL' : 'JMP', [this.entry(t)]));
  }

  /** One node's block: an event node continues along ►, others run their catalogue code (a data node then continues). */
  private placeNode(node: RNode): void {
    this.placed.add(node);
    this.asm.mark(this.entries.get(node)!);
    const evaluated = new Set<RNode>();
    this.evaluateDeepSources(node, evaluated);
    const g = this.nodeGen(node, evaluated);
    if (node.spec.kind === 'event') g.goto(PULSE);
    else {
      // A value node has no code even when pulsed: its output is a constant register.
      node.spec.compile?.(g);
      if (node.spec.kind === 'data') g.goto(PULSE);
    }
  }

  /**
   * A pure source is compiled where it is read, recursing through its own pure sources. So that a
   * chain of thousands of data nodes cannot overflow the stack, the pure nodes every PURE_DEPTH_STEP
   * levels up from the bottom are compiled first, lowest first: then no compile() recurses further
   * than one step. A graph whose data chains are shorter (any drawn by hand) compiles as before.
   */
  private evaluateDeepSources(node: RNode, evaluated: Set<RNode>): void {
    const below = (n: RNode): RNode[] => [...n.inputs.keys()].flatMap((pin) => {
      const s = n.dataIn.get(pin)?.node;
      return s && isPure(s) && !s.spec.constant ? [s] : [];
    });
    const height = new Map<RNode, number>(); // the longest chain of pure sources under a node
    let highest = 0;
    depthFirst(below(node), below, (n) => {
      const h = below(n).reduce((max, s) => Math.max(max, 1 + (height.get(s) ?? 0)), 0);
      height.set(n, h);
      highest = Math.max(highest, h);
    });
    if (highest < PURE_DEPTH_STEP) return;
    const steps = [...height].filter(([, h]) => h > 0 && h % PURE_DEPTH_STEP === 0).sort((a, b) => a[1] - b[1]);
    for (const [n] of steps) {
      if (evaluated.has(n)) continue;
      evaluated.add(n);
      n.spec.compile!(this.nodeGen(n, evaluated));
    }
  }

  // ── registers ──

  private isRead(n: RNode, pin: string): boolean {
    return this.readOuts.get(n)?.has(pin) ?? false;
  }

  /**
   * A data output's register: a constant register for a value node; an output nothing reads needs no
   * starting value (so a node that reads its own output before writing it keeps that in g.state()).
   */
  private outReg(n: RNode, pin: string): number {
    let m = this.outRegs.get(n);
    if (!m) this.outRegs.set(n, (m = new Map()));
    let r = m.get(pin);
    if (r === undefined) {
      const constantValue = n.spec.constant?.(n.attrs);
      if (constantValue !== undefined) r = this.regs.constReg(constantValue);
      else if (isPure(n)) r = this.regs.fresh();
      else r = this.regs.fresh(this.isRead(n, pin) ? defaultValue(n.outType.get(pin) ?? 'Any') : undefined);
      m.set(pin, r);
    }
    return r;
  }

  /**
   * Where a data input's value is: a register, and the type code to convert it to when the link needs
   * a conversion. A pure source is compiled here first, once per node being placed (`evaluated`).
   */
  private inputSource(n: RNode, pin: string, evaluated: Set<RNode>): { reg: number; convert?: number } {
    const src = n.dataIn.get(pin);
    const want = n.inType.get(pin) ?? 'Any';
    if (!src) {
      const lit = n.literals.get(pin) ?? n.inputs.get(pin)?.default;
      return { reg: this.regs.constReg(lit === undefined ? defaultValue(want) : lit) };
    }
    if (isPure(src.node) && !src.node.spec.constant && !evaluated.has(src.node)) {
      evaluated.add(src.node);
      src.node.spec.compile!(this.nodeGen(src.node, evaluated));
    }
    const reg = this.outReg(src.node, src.pin);
    const from = src.node.outType.get(src.pin) ?? 'Any';
    const rule = linkRule(from, want);
    // Any→T is checked at run time; Bool/Int/Float→String becomes text. Int→Float and →Any need nothing.
    return rule === 'check' || (rule === 'widen' && want === 'String') ? { reg, convert: TYPES[want as TypeName] } : { reg };
  }

  /** The register with a data input's value (converted into a scratch register when the link needs it). */
  private inputReg(n: RNode, pin: string, evaluated: Set<RNode>): number {
    const { reg, convert } = this.inputSource(n, pin, evaluated);
    if (convert === undefined) return reg;
    const t = this.regs.fresh();
    this.asm.debug(n.label);
    this.asm.emit('CONV', [t, reg, convert]);
    return t;
  }

  // ── what a catalogue entry's compile() sees ──

  private nodeGen(n: RNode, evaluated: Set<RNode>): NodeGen {
    const { asm, regs } = this;
    const g: NodeGen = {
      attr: <T>(name: string) => n.attrs[name] as T,
      in: (pin) => this.inputReg(n, pin, evaluated),
      inputTo: (pin, dest) => {
        const { reg, convert } = this.inputSource(n, pin, evaluated);
        asm.debug(n.label);
        asm.emit(convert === undefined ? 'MOV' : 'CONV', convert === undefined ? [dest, reg] : [dest, reg, convert]);
      },
      out: (pin) => this.outReg(n, pin),
      read: (pin) => this.isRead(n, pin),
      emit: (op, ...operands) => { asm.debug(n.label); asm.emit(op, operands); },
      label: () => asm.newLabel(),
      mark: (l) => asm.mark(l),
      pulse: (pin) => this.pulseLabel(n, pin),
      linked: (pin) => (n.pulseOut.get(pin)?.length ?? 0) > 0,
      call: (pin) => { if (g.linked(pin)) { asm.debug(n.label); asm.emit('CALL', [this.pulseLabel(n, pin)]); } },
      goto: (pin) => {
        asm.debug(n.label);
        if (g.linked(pin)) asm.emit('JMP', [this.pulseLabel(n, pin)]);
        else asm.emit('RET', []);
      },
      constant: (v) => regs.constReg(v),
      temp: () => regs.fresh(),
      state: (initial) => regs.fresh(initial),
      connection: () => n.refs.connection!,
      variable: () => n.refs.variable!,
      scene: (attr) => n.refs.scene?.get(attr) ?? -1,
      ownerScene: () => n.scope.scene + 1,
      inputType: (pin) => n.inType.get(pin) ?? 'Any',
      project: this.projectGen(n),
    };
    return g;
  }

  // ── calls into other graphs: custom events, variable change listeners, functions ──

  private withRole(role: NodeRole, match: (n: RNode) => boolean): RNode[] {
    return this.graph.scopes.flatMap((s) => s.nodes.filter((n) => n.spec.role === role && match(n)));
  }

  /** Runs `body` only while the scene that owns `n` is loaded (always, for the Project and Function scopes). */
  private guardScene(n: RNode, body: () => void): void {
    if (n.scope.scene < 0) return body();
    const skip = this.asm.newLabel();
    this.asm.emit('JNSCENE', [n.scope.scene, skip]);
    body();
    this.asm.mark(skip);
  }

  /** A function's result registers, shared by every call of it. */
  private fnResults(name: string): Map<string, number> {
    let m = this.resultRegs.get(name);
    if (!m) {
      const fn = this.graph.functions.get(name)!;
      m = new Map(fn.results.map((r) => [r.name, this.regs.fresh(defaultValue(r.type))]));
      this.resultRegs.set(name, m);
    }
    return m;
  }

  private projectGen(n: RNode): ProjectGen {
    const { asm, regs, graph } = this;
    return {
      triggerCustomEvent: (event, args) => {
        for (const l of this.withRole('custom-event-listener', (x) => x.attrs.Event === event)) {
          this.guardScene(l, () => {
            args.forEach((a, i) => asm.emit('MOV', [this.outReg(l, `Parameter ${i}`), a]));
            asm.emit('CALL', [this.entry(l)]);
          });
        }
      },
      listensTo: (variable) => this.withRole('variable-change-listener', (x) => x.refs.variable === variable).length > 0,
      notifyVariableChange: (variable, value) => {
        const ls = this.withRole('variable-change-listener', (x) => x.refs.variable === variable);
        if (ls.length === 0) return;
        const skip = asm.newLabel();
        asm.emit('JNCHG', [skip]);
        for (const l of ls) this.guardScene(l, () => {
          asm.emit('MOV', [this.outReg(l, 'Value'), value]);
          asm.emit('CALL', [this.entry(l)]);
        });
        asm.mark(skip);
      },
      callFunction: (name, arg) => {
        const fn = graph.functions.get(name)!;
        for (const p of fn.parameters) asm.emit('MOV', [this.outReg(fn.input!, p.name), arg(p.name)]);
        // The result registers are shared by every call of the function: start each call from the
        // defaults, or a body that reaches no Function Output would hand back an earlier call's results.
        const results = this.fnResults(name);
        for (const r of fn.results) asm.emit('MOV', [results.get(r.name)!, regs.constReg(defaultValue(r.type))]);
        asm.emit('CALL', [this.entry(fn.input!)]);
        return results;
      },
      ownResults: () => this.fnResults(n.scope.fn!.name),
    };
  }
}

/**
 * The outputs a data link reads. An output that nothing reads needs no starting value (regInit), and a
 * Variable Setter need not copy a value into it: nothing can observe it.
 */
function readOutputs(graph: Graph): Map<RNode, Set<string>> {
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
  return readOuts;
}
