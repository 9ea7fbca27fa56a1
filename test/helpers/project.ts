// Building small projects in tests and running them on the VM with a
// virtual clock. A project here is the file format itself, so every test
// also exercises the loader and the compiler.

import { compile } from '../../runtime/compiler/index.ts';
import { Vm } from '../../runtime/vm/index.ts';
import type { Output, InEvent } from '../../runtime/vm/io.ts';
import type { Schedule } from '../../runtime/schedule/schedule.ts';
import type { Limits } from '../../runtime/limits.ts';
import type { Diagnostic, NodeDecl, LinkDecl, ProjectSettings, VariableDecl, ScopeDecl } from '../../runtime/project/model.ts';

export type Link = [string, string, string, string] | LinkDecl;

/** `[from, fromPin, to, toPin]` shorthand for links. */
export const links = (...ls: Link[]): LinkDecl[] => ls.map((l) => (Array.isArray(l) ? { from: [l[0], l[1]], to: [l[2], l[3]] } : l));

export interface ProjectParts {
  nodes: NodeDecl[];
  links?: Link[];
  settings?: ProjectSettings;
  variables?: VariableDecl[];
  /** Further scopes (scenes, functions). */
  scopes?: ScopeDecl[];
}

export function project(p: ProjectParts): object {
  return {
    format: 'pulsewire-project/1',
    name: 'test',
    ...(p.settings ? { settings: p.settings } : {}),
    ...(p.variables ? { variables: p.variables } : {}),
    scopes: [{ kind: 'Project', nodes: p.nodes, links: links(...(p.links ?? [])) }, ...(p.scopes ?? [])],
  };
}

export function compileOk(p: object): Schedule {
  const r = compile(p);
  if (!r.ok) throw new Error('expected the project to compile:\n' + r.diagnostics.map((d) => `${d.scope}/${d.node}: ${d.message}`).join('\n'));
  return r.schedule;
}

export function diagnosticsOf(p: object): Diagnostic[] {
  const r = compile(p);
  if (r.ok) throw new Error('expected diagnostics, the project compiled');
  return r.diagnostics;
}

/** A VM on a virtual clock: tick(t) runs one tick at time t and keeps every output. */
export class VmHarness {
  readonly vm: Vm;
  readonly outputs: { tick: number; time: number; output: Output }[] = [];
  private n = 0;
  constructor(readonly schedule: Schedule, limits?: Partial<Limits>) {
    this.vm = new Vm(schedule, { limits });
  }
  post(ev: InEvent): boolean {
    return this.vm.post(ev);
  }
  tick(time: number): Output[] {
    const out = this.vm.tick(time);
    for (const o of out) this.outputs.push({ tick: this.n, time, output: o });
    this.n++;
    return out;
  }
  /** Console texts so far, in order. */
  console(): string[] {
    return this.outputs.flatMap((o) => (o.output.kind === 'console' ? [o.output.text] : []));
  }
  errors(): Extract<Output, { kind: 'error' }>[] {
    return this.outputs.flatMap((o) => (o.output.kind === 'error' ? [o.output] : []));
  }
}

export function run(p: object, limits?: Partial<Limits>): VmHarness {
  return new VmHarness(compileOk(p), limits);
}
