import type { ScopeKind } from '../../project/model.ts';

export const ANYWHERE: readonly ScopeKind[] = ['Project', 'Scene', 'Function'];
/** Event nodes: a Function has no listeners of its own. */
export const LISTENERS: readonly ScopeKind[] = ['Project', 'Scene'];
export const COMMUNICATION: readonly ScopeKind[] = ['Project', 'Scene', 'Function'];
