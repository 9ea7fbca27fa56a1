// The stable codes of the compiler's diagnostics, in one place, like the
// loader's LOAD_CODES: the compiler reports only these (the type checks it),
// docs/NODES.md lists them (a test checks it), and tools match on them.
// Never rename one. The loader's codes (rules that need no node catalogue)
// are in runtime/project/codes.ts.

export const COMPILE_CODES = {
  'unknown-node-type': 'no node of that name',
  'node-scope': 'the node may not be placed in this kind of scope',
  'plugin-disabled': 'a communication node whose plugin is off in settings.plugins',
  'unknown-attribute': 'an attribute the node does not have',
  'missing-attribute': 'a required attribute left out',
  'bad-attribute': 'an attribute value the node cannot take',
  'unknown-connection': 'a Configuration that names no connection of the node\'s kind',
  'unknown-variable': 'a Variable attribute that names no variable of the scope or the project',
  'unknown-scene': 'a Scene attribute that names no scene',
  'unknown-function': 'a Function attribute that names no Function scope',
  'unknown-pin': 'a literal for, or a link to or from, a pin the node does not have',
  'link-kind': 'a pulse pin linked to a data pin',
  'link-type': 'a data link between types that do not convert',
  'input-multiple-links': 'an input fed by more than one link',
  'missing-input': 'a required input with neither link nor literal',
  'bad-literal': 'a literal that does not fit the input\'s type',
  'data-cycle': 'data links through which a value depends on itself',
  'pulse-cycle': 'action nodes that pulse each other in a loop with no delay',
  recursion: 'a Function that ends up calling itself',
  'event-parameters': 'triggers and listeners of one custom event with different Parameters',
  'function-input': 'a Function with no Function Input, or more than one',
  'bad-url': 'a connection whose URL is not a valid address of its kind',
  'port-mismatch': 'a connection whose URL says another port than Port',
} as const;

export type CompileCode = keyof typeof COMPILE_CODES;
