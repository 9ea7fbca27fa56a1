// The engines a schedule runs on. Apart from targets/runtime.ts so that the
// CLI can check `--target` without loading any engine.

export type TargetName = 'node' | 'quickjs';
export const TARGETS: readonly TargetName[] = ['node', 'quickjs'];
