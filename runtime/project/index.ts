// The project-file layer's public API: load and validate a project file,
// its types, its schema, and how diagnostics are printed.

export { loadProject, PROJECT_SCHEMA } from './load.ts';
export type { LoadResult, LoadOptions } from './load.ts';
export { LOAD_CODES } from './codes.ts';
export type { LoadCode } from './codes.ts';
export { PROJECT_FORMAT, formatDiagnostic, diagnosticJson, scopeLabel } from './model.ts';
export type {
  ProjectFile,
  ProjectSettings,
  Secret,
  ConnectionSettings,
  VariableDecl,
  ParamDecl,
  ScopeKind,
  ScopeDecl,
  ProjectScopeDecl,
  SceneScopeDecl,
  FunctionScopeDecl,
  NodeDecl,
  LinkDecl,
  Diagnostic,
} from './model.ts';
