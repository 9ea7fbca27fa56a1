// The stable codes of the loader's diagnostics, in one place: the loader
// uses only these (the type checks it), docs/PROJECT-FORMAT.md lists them
// (a test checks it), and tools match on them. Never rename one. The
// compiler's codes (node catalogue rules) are its own.

export const LOAD_CODES = {
  'json-syntax': 'the file is not valid JSON',
  'not-a-project': 'the file holds something other than an object',
  'format-version': '"format" is missing, another version, or not a pulsewire format',
  schema: 'the file does not match the schema (a missing or unknown key, a wrong type, a value out of range)',
  'missing-project-scope': 'no scope of kind Project',
  'duplicate-project-scope': 'more than one Project scope',
  'duplicate-scene-name': 'two scenes with the same name',
  'duplicate-function-name': 'two functions with the same name',
  'duplicate-connection-name': 'two connections with the same Name (across WebSocket and Socket.IO)',
  'send-buffer-watermarks': 'sendBuffer.lowWaterBytes above highWaterBytes',
  'unknown-start-scene': 'startScene names no scene',
  'duplicate-variable-name': 'two variables with the same name in one scope',
  'bad-initial-value': "a variable's initial value does not fit its type",
  'duplicate-parameter': 'a Function parameter or result name used twice',
  'reserved-parameter-name': 'a parameter or result named ►',
  'duplicate-node-id': 'two nodes with the same id in one scope',
  'unknown-link-node': 'a link names a node id that does not exist in its scope',
  'lone-surrogate': 'a string holds a lone UTF-16 surrogate ("\\ud800"), which UTF-8 and so a schedule cannot store',
  'nested-too-deep': 'a literal, initial value, attribute or auth payload nested deeper than a schedule stores',
  internal: 'the loader itself failed (a bug)',
} as const;

export type LoadCode = keyof typeof LOAD_CODES;
