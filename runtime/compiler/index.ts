export { compile, type CompileResult } from './compile.ts';
export { CATALOGUE } from './catalogue/index.ts';
export type { NodeSpec } from './catalogue/types.ts';
export { COMPILE_CODES, type CompileCode } from './codes.ts';
