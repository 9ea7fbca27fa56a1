export { compile, type CompileResult } from './compile.ts';
export { CATALOGUE } from './catalogue/index.ts';
export type { NodeSpec } from './catalogue/types.ts';
