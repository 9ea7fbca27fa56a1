// Resolve: from a loaded project file to the typed graph of graph.ts.
// Every problem becomes a diagnostic; resolution goes on after one, so a
// designer sees all of them at once. Nothing here emits code.
//
// The steps, in order (each names what it does; diagnostics come out in
// this order): connections, scopes, variables, then per scope its nodes
// (nodes.ts), then per scope its links (links.ts), then the types of data
// pins and what every data input is fed (types.ts), then the custom events'
// parameters (checks.ts). The loader has already checked everything that
// needs no node catalogue (unique names and ids, links naming nodes of their
// scope, startScene, initial values), so none of that is checked again here.

import type { Diagnostic, ProjectFile, VariableDecl } from '../project/model.ts';
import { scopeLabel } from '../project/model.ts';
import type { Graph, RScope, RFunction, VariableTable } from './graph.ts';
import { TYPES, literalValue, defaultValue, type TypeName } from '../values.ts';
import { enabledPlugins, resolveConnections } from './connections.ts';
import { resolveNodes, type ProjectIndex } from './nodes.ts';
import { resolveLinks } from './links.ts';
import { resolveTypes, checkDataInputs } from './types.ts';
import { checkCustomEventParameters } from './checks.ts';
import { reporter } from './report.ts';
import { nothingBroken, type Broken } from './salvage.ts';

/** `broken`: what the loader refused, when this is a salvaged project (salvage.ts); references to it are not reported again. */
export function resolve(project: ProjectFile, broken: Broken = nothingBroken()): { graph: Graph; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = reporter(diagnostics);
  const settings = project.settings ?? {};
  const plugins = enabledPlugins(settings);
  const connections = resolveConnections(settings, plugins, report);
  const { scopes, scenes, functions } = declareScopes(project);
  const variables = declareVariables(project, scopes);
  const index: ProjectIndex = { plugins, connections, scenes, functions, variables, broken };

  // `label\0pin` of inputs that were given a value the compiler could not use (a refused literal, a link
  // from a node that did not resolve): that is already reported, so no missing-input for them as well.
  const fed = new Set<string>();
  for (const scope of scopes) resolveNodes(scope, index, fed, report);
  for (const scope of scopes) resolveLinks(scope, fed, report);
  resolveTypes(scopes, report);
  checkDataInputs(scopes, fed, report);
  checkCustomEventParameters(scopes, report);

  return {
    graph: {
      name: project.name, scopes, scenes, functions, connections,
      variables: variables.entries, variableInit: variables.init, startScene: startSceneIndex(settings.startScene, scenes),
      tickRateHz: settings.tickRate ?? 60, randomSeed: settings.randomSeed ?? 1, limits: { ...(settings.limits ?? {}) } as Record<string, number>,
    },
    diagnostics,
  };
}

/**
 * The scopes in listener order: the Project scope first, then scenes, then
 * functions, each in file order. Scenes are numbered in that order.
 */
function declareScopes(project: ProjectFile): { scopes: RScope[]; scenes: string[]; functions: Map<string, RFunction> } {
  const scopes: RScope[] = [];
  const scenes: string[] = [];
  const functions = new Map<string, RFunction>();
  for (const kind of ['Project', 'Scene', 'Function'] as const) {
    // forEach: a salvaged project (salvage.ts) leaves holes where a scope was refused.
    project.scopes.forEach((decl, index) => {
      if (decl.kind !== kind) return;
      const scope: RScope = { decl, kind: decl.kind, label: scopeLabel(decl), index, scene: -1, nodes: [], byId: new Map() };
      if (decl.kind === 'Scene') scope.scene = scenes.push(decl.name) - 1;
      if (decl.kind === 'Function') {
        const fn: RFunction = { name: decl.name, scope, parameters: decl.parameters ?? [], results: decl.results ?? [] };
        scope.fn = fn;
        functions.set(decl.name, fn);
      }
      scopes.push(scope);
    });
  }
  return { scopes, scenes, functions };
}

/** The variables of the Project scope, then each scene's; a scene's are qualified `Scene/name`. */
function declareVariables(project: ProjectFile, scopes: RScope[]): VariableTable {
  const table: VariableTable = { entries: [], init: [], types: [], lookup };
  const byName = new Map<string, number>(); // qualified name → index
  const add = (list: VariableDecl[] | undefined, scene: number, prefix: string) => {
    for (const v of list ?? []) {
      if (v === undefined) continue; // a hole: refused by the loader (salvage.ts)
      byName.set(prefix + v.name, table.entries.length);
      table.entries.push({ name: prefix + v.name, type: TYPES[v.type], scene, init: -1 });
      table.types.push(v.type);
      table.init.push(v.initial === undefined ? defaultValue(v.type) : literalValue(v.initial, v.type));
    }
  };
  add(project.variables, -1, '');
  for (const s of scopes) if (s.decl.kind === 'Scene') add(s.decl.variables, s.scene, `${s.decl.name}/`);
  return table;

  /** A variable visible from a scope: the scene's own first, then the Project's. */
  function lookup(scope: RScope, name: string): { index: number; type: TypeName } | undefined {
    const i = (scope.decl.kind === 'Scene' ? byName.get(`${scope.decl.name}/${name}`) : undefined) ?? byName.get(name);
    return i === undefined ? undefined : { index: i, type: table.types[i] };
  }
}

/** The scene loaded at boot: the one startScene names (the loader checked it names one), else the first. */
function startSceneIndex(name: string | undefined, scenes: string[]): number {
  const i = name === undefined ? -1 : scenes.indexOf(name);
  return i >= 0 ? i : scenes.length ? 0 : -1;
}
