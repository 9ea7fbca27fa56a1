// The shape of a node catalogue entry: everything the compiler knows about
// one node type lives in one entry (name, scope, plugin, attributes, pins,
// how it compiles). Families live in their own files beside this one.

import type { TypeName, Value } from '../../values.ts';
import type { OpName } from '../../schedule/opcodes.ts';
import type { EventKindName } from '../../schedule/schedule.ts';
import type { ScopeKind } from '../../project/model.ts';

/** A pin's type: Pulse, a data type, or Number (Int or Float; an output typed Number is Int when every Number input is Int). */
export type PinType = 'Pulse' | TypeName | 'Number';

export const PULSE = '►';

export interface PinSpec {
  name: string;
  type: PinType;
  /** Data inputs: the value used when neither a link nor a literal is given. Without it, the input is required. */
  default?: Value;
}

export type AttrKind =
  | 'string' | 'bool' | 'int' | 'number' | 'enum' | 'type' | 'types' | 'list'
  | 'connection' | 'scene' | 'variable' | 'function' | 'any';

export interface AttrSpec {
  name: string;
  kind: AttrKind;
  /** Without a default the attribute is required. */
  default?: unknown;
  /** Allowed values of an enum. */
  values?: readonly string[];
  /** For kind 'int': the smallest allowed value. */
  min?: number;
}

export type Attrs = Readonly<Record<string, unknown>>;

/** What pin functions may look up in the project (functions' signatures, variables' types, event parameters). */
export interface PinContext {
  variableType(name: string): TypeName | undefined;
  functionSignature(name: string): { parameters: { name: string; type: TypeName }[]; results: { name: string; type: TypeName }[] } | undefined;
  /** The Function scope's own signature, for Function Input / Function Output nodes. */
  ownFunction(): { parameters: { name: string; type: TypeName }[]; results: { name: string; type: TypeName }[] } | undefined;
}

/** A jump target in code being emitted. */
export interface Label {
  readonly label: number;
}

export type Operand = number | Label;

/** What a node's compile() uses to emit its code. */
export interface NodeGen {
  attr<T = unknown>(name: string): T;
  /** Register holding a data input's value (evaluating pure inputs on demand, converting Any links). */
  in(pin: string): number;
  /** Emits dest := a data input's value: one MOV, or the link's conversion written straight into dest. */
  inputTo(pin: string, dest: number): void;
  /** Register of a data output. */
  out(pin: string): number;
  /** True when a data link reads this output (an output nobody reads need not be written). */
  read(pin: string): boolean;
  emit(op: OpName, ...operands: Operand[]): void;
  label(): Label;
  mark(l: Label): void;
  /** Entry of the chain linked to an output pulse (a shared RET when nothing is linked). */
  pulse(pin: string): Label;
  /** True when the output pulse has a link. */
  linked(pin: string): boolean;
  /** Runs the chain of an output pulse to completion, then continues (nothing when unlinked). */
  call(pin: string): void;
  /** Continues along an output pulse as a tail jump (RET when unlinked). Ends the node's code. */
  goto(pin: string): void;
  /** A register holding a constant. */
  constant(v: Value): number;
  /** A scratch register, private to this node. */
  temp(): number;
  /** A register private to this node that keeps its value across runs, initialised once. */
  state(initial: Value): number;
  /** Connection index chosen by the Configuration attribute. */
  connection(): number;
  /** Variable index chosen by the Variable attribute. */
  variable(): number;
  /** Scene index named by an attribute (-1 for none). */
  scene(attr: string): number;
  /** 1 + index of the scene that owns this node, 0 in the Project or a Function scope. */
  ownerScene(): number;
  /** Type of a data input as linked (after Number resolution). */
  inputType(pin: string): TypeName;
  /** Calls made by Event Trigger, Variable Setter and Function nodes (see graph.ts). */
  readonly project: ProjectGen;
}

/** Whole-project services for the nodes that reach other graphs. */
export interface ProjectGen {
  /** Emits, for every listener of a custom event, a (scene-guarded) parameter copy and CALL. */
  triggerCustomEvent(event: string, args: number[]): void;
  /** True when the variable has On Variable Change listeners. */
  listensTo(variable: number): boolean;
  /** Emits the calls of the On Variable Change listeners of a variable; `value` holds the new value. */
  notifyVariableChange(variable: number, value: number): void;
  /** Emits a call of a Function, its arguments read through `arg(parameter)`; returns the result registers by name. */
  callFunction(name: string, arg: (parameter: string) => number): Map<string, number>;
  /** For Function Output: the result registers of the enclosing function. */
  ownResults(): Map<string, number>;
}

export interface NodeSpec {
  type: string;
  family: string;
  /** Where the node may be placed. */
  scopes: readonly ScopeKind[];
  plugin?: 'WebSocket' | 'Socket.IO';
  attributes: readonly AttrSpec[];
  /**
   * event:  starts chains (no pulse input).
   * action: has a pulse input and runs when pulsed.
   * data:   pure; evaluated on demand right before the node that reads it. If
   *         its (optional) pulse input is linked, it runs as an action instead
   *         and its outputs keep their last value — as the editor allows.
   */
  kind: 'event' | 'action' | 'data';
  /** Checks that need several attributes together (each alone already checked): the problem, if any. */
  checkAttributes?(a: Attrs): { attribute: string; problem: string } | undefined;
  /** Pins for these attributes. Action nodes list their pulse pins; data nodes' optional ► pins are implied. */
  pins(a: Attrs, cx: PinContext): { inputs: PinSpec[]; outputs: PinSpec[] };
  /** For event nodes: which event, and the key that selects it (connection, scene). */
  event?: { kind: EventKindName; flags?(a: Attrs): number };
  /** A data node whose output is a constant (value nodes): no code at all. */
  constant?(a: Attrs): Value;
  /** The code of the node. Action and event nodes end with goto()/RET; data nodes only write outputs. */
  compile?(g: NodeGen): void;
  /** Output pulses whose chain runs later (Start Timeout's ►): links from them do not form zero-delay cycles. */
  delayed?: readonly string[];
  /** How the node reaches other graphs (see NodeRole); the compiler goes by this, never by a node's name. */
  role?: NodeRole;
}

/**
 * The nodes that join graphs at compile time. The resolver, the whole-graph
 * checks (cycles through calls, custom event parameters) and the code
 * generator (which listeners a node calls) find them by role.
 *   custom-event-trigger / -listener: Event Trigger calls every Event Listener of its Event.
 *   function-call: calls the Function scope its `function` attribute names.
 *   function-entry: where a Function scope's chain starts (exactly one per Function).
 *   variable-change-listener: called by every Variable Setter that changes its Variable.
 */
export type NodeRole = 'custom-event-trigger' | 'custom-event-listener' | 'function-call' | 'function-entry' | 'variable-change-listener';

/** Lists the pins `Input 0`..`Input n-1`. */
export const numbered = (prefix: string, n: number, type: PinType, dflt?: Value): PinSpec[] =>
  Array.from({ length: n }, (_, i) => (dflt === undefined ? { name: `${prefix} ${i}`, type } : { name: `${prefix} ${i}`, type, default: dflt }));
