// The host globals runtime/ uses, and nothing else: the WHATWG text codecs
// (every engine pulsewire runs on has them; the QuickJS guest gets them from
// targets/quickjs/polyfill.ts) and URL, which only the compiler uses, and the
// compiler runs on the host alone (test/architecture.test.ts keeps it out of
// the VM and of board bundles). Read only by runtime/tsconfig.json: the root
// config has Node's own declarations of these.

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}

declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
  readonly hostname: string;
  port: string;
  readonly pathname: string;
  readonly search: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly href: string;
}
