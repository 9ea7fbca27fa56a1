// The project file, as TypeScript types. The JSON Schema beside this file
// (project.schema.json) is the normative description; these types mirror it.
// Node, attribute and pin names are the editor's own (docs/NODES.md).

import type { TypeName } from '../values.ts';
import type { Limits } from '../limits.ts';

export const PROJECT_FORMAT = 'pulsewire-project/1';

export interface ProjectFile {
  /** Optional pointer to project.schema.json for editors (completion while typing); ignored by pulsewire. */
  $schema?: string;
  format: typeof PROJECT_FORMAT;
  name: string;
  settings?: ProjectSettings;
  /** Project-scope variables. */
  variables?: VariableDecl[];
  scopes: ScopeDecl[];
}

export interface ProjectSettings {
  /** Both plugins are enabled unless set to false. */
  plugins?: { WebSocket?: boolean; 'Socket.IO'?: boolean };
  /** Ticks per second in fixed-rate mode; default 60. */
  tickRate?: number;
  /** Scene loaded at boot; default: the first scene. */
  startScene?: string;
  /** Seed of the Random node and of reconnect jitter; default 1. */
  randomSeed?: number;
  limits?: Partial<Limits>;
  webSocketConnections?: ConnectionSettings[];
  socketIOConnections?: ConnectionSettings[];
}

/** A secret or setting that may come from the environment at run time instead of the file. */
export type Secret = string | { env: string };

export interface ConnectionSettings {
  Name: string;
  URL: string;
  Port?: number;
  headers?: Record<string, Secret>;
  /** Bearer token: `Authorization: Bearer …` for WebSocket, `auth.token` for Socket.IO. */
  token?: Secret;
  /** Socket.IO auth payload. */
  auth?: Record<string, unknown>;
  tls?: { ca?: string; verify?: boolean };
  reconnect?: { enabled?: boolean; initialDelayMs?: number; maxDelayMs?: number; factor?: number; jitter?: number; maxAttempts?: number };
  handshakeTimeoutMs?: number;
  heartbeat?: { intervalMs?: number; timeoutMs?: number };
  /** What Send does while the connection is not open: report an error (default) or queue and flush on open. */
  sendWhileClosed?: 'error' | 'queue';
  /** Messages held while not open (sendWhileClosed: queue) / buffered by Socket.IO while disconnected. */
  offlineQueue?: number;
  /** Outbound buffer watermarks, in bytes. */
  sendBuffer?: { highWaterBytes?: number; lowWaterBytes?: number };
  /** Largest inbound message in bytes. */
  maxMessageBytes?: number;
  /** Socket.IO only: Engine.IO transports in the order to try; default ["websocket"]. */
  transports?: Array<'websocket' | 'polling'>;
}

export interface VariableDecl {
  name: string;
  type: TypeName;
  initial?: unknown;
}

export interface ParamDecl {
  name: string;
  type: TypeName;
}

export type ScopeKind = 'Project' | 'Scene' | 'Function';

interface ScopeBase {
  nodes: NodeDecl[];
  links?: LinkDecl[];
}
export interface ProjectScopeDecl extends ScopeBase { kind: 'Project' }
export interface SceneScopeDecl extends ScopeBase { kind: 'Scene'; name: string; variables?: VariableDecl[] }
export interface FunctionScopeDecl extends ScopeBase { kind: 'Function'; name: string; parameters?: ParamDecl[]; results?: ParamDecl[] }
export type ScopeDecl = ProjectScopeDecl | SceneScopeDecl | FunctionScopeDecl;

export interface NodeDecl {
  id: string;
  type: string;
  attributes?: Record<string, unknown>;
  /** Literal values of data inputs, by pin name. */
  inputs?: Record<string, unknown>;
}

/** A link from an output pin to an input pin: [node id, pin name]. Pulse pins are named `►`. */
export interface LinkDecl {
  from: [string, string];
  to: [string, string];
}

/** A problem in the project, reported with all the others before anything runs. */
export interface Diagnostic {
  /** Stable short code, e.g. `unknown-node-type`. */
  code: string;
  /**
   * `Project`, `Scene:Name` or `Function:Name`; `settings` for project settings.
   * The loader also uses `Project` for the file as a whole (syntax, format,
   * top-level keys) and `scopes[3]` for a scope without a usable kind or name.
   */
  scope: string;
  node?: string;
  message: string;
  /** JSON Pointer of the offending value in the project file (e.g. `/scopes/1/nodes/4/type`), when there is one. */
  path?: string;
  /** 1-based line and column in the file text of the value at `path` (or of the syntax error), when the project was given as text. */
  line?: number;
  column?: number;
  /** The file the diagnostic is about, when the caller named it (loadProject's `opts.file`). */
  file?: string;
  /** The likely fix, when one is known (`did you mean "Branch"?`); the message says it too. */
  hint?: string;
}

/** `file:line:column: scope/node: message` (`file: scope/node: message` without a position), as the CLI prints diagnostics. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const at = d.line !== undefined ? `:${d.line}:${d.column ?? 1}` : '';
  return `${file}${at}: ${d.scope}${d.node !== undefined ? '/' + d.node : ''}: ${d.message}`;
}

/**
 * One diagnostic as a line of JSON (`--format json`): every field present,
 * null when unknown, so a tool reads one shape: file, line, column, scope,
 * node, code, message, hint.
 */
export function diagnosticJson(file: string, d: Partial<Diagnostic> & { code: string; message: string }): string {
  return JSON.stringify({
    file, line: d.line ?? null, column: d.column ?? null, scope: d.scope ?? null, node: d.node ?? null,
    code: d.code, message: d.message, hint: d.hint ?? null,
  });
}

export const scopeLabel = (s: ScopeDecl): string => (s.kind === 'Project' ? 'Project' : `${s.kind}:${s.name}`);
