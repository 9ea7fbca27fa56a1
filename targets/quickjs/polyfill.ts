// TextEncoder and TextDecoder for the QuickJS guest, which has neither:
// runtime/values.ts and runtime/schedule/format.ts create one of each when
// they load, so guest.ts imports this file first. Only UTF-8, and exactly
// the WHATWG behaviour Node has (each invalid sequence becomes one U+FFFD,
// a leading BOM is dropped unless ignoreBOM, lone surrogates encode as
// U+FFFD), because Binary↔String conversions must give the same text on
// every target. Installed only where the engine lacks them.

const REPLACEMENT = 0xfffd;

class Utf8Encoder {
  readonly encoding = 'utf-8';

  encode(input = ''): Uint8Array {
    const s = String(input);
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) { n += 4; i++; }
      else n += 3; // BMP, or a lone surrogate (U+FFFD)
    }
    const out = new Uint8Array(n);
    let o = 0;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) { out[o++] = c; continue; }
      if (c < 0x800) { out[o++] = 0xc0 | (c >> 6); out[o++] = 0x80 | (c & 0x3f); continue; }
      if (c >= 0xd800 && c <= 0xdfff) {
        if (c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
          c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
          out[o++] = 0xf0 | (c >> 18); out[o++] = 0x80 | ((c >> 12) & 0x3f);
          out[o++] = 0x80 | ((c >> 6) & 0x3f); out[o++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = REPLACEMENT;
      }
      out[o++] = 0xe0 | (c >> 12); out[o++] = 0x80 | ((c >> 6) & 0x3f); out[o++] = 0x80 | (c & 0x3f);
    }
    return out;
  }
}

const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

class Utf8Decoder {
  readonly encoding = 'utf-8';
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;

  constructor(label = 'utf-8', opts: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    if (!/^\s*(utf-?8|unicode-1-1-utf-8)\s*$/i.test(label)) throw new RangeError(`only UTF-8 is supported, not "${label}"`);
    this.fatal = !!opts.fatal;
    this.ignoreBOM = !!opts.ignoreBOM;
  }

  /** The WHATWG UTF-8 decoder (Encoding Standard §9.1.1), one pass, no streaming. */
  decode(input?: ArrayBuffer | ArrayBufferView): string {
    const b = input === undefined ? new Uint8Array(0)
      : input instanceof Uint8Array ? input
        : ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
          : new Uint8Array(input);
    let i = 0;
    if (!this.ignoreBOM && b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
    const parts: string[] = [];
    const units: number[] = [];
    const bad = (): void => {
      if (this.fatal) throw new TypeError('The encoded data was not valid UTF-8');
      units.push(REPLACEMENT);
    };
    let need = 0;
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    for (; i < b.length; i++) {
      const x = b[i];
      if (need === 0) {
        if (x < 0x80) units.push(x);
        else if (x >= 0xc2 && x <= 0xdf) { need = 1; cp = x & 0x1f; }
        else if (x >= 0xe0 && x <= 0xef) {
          if (x === 0xe0) lower = 0xa0;
          if (x === 0xed) upper = 0x9f;
          need = 2; cp = x & 0xf;
        } else if (x >= 0xf0 && x <= 0xf4) {
          if (x === 0xf0) lower = 0x90;
          if (x === 0xf4) upper = 0x8f;
          need = 3; cp = x & 0x7;
        } else bad();
      } else if (x < lower || x > upper) {
        // The sequence so far is one error; the byte starts over (maximal subpart).
        need = 0; cp = 0; lower = 0x80; upper = 0xbf;
        bad();
        i--;
      } else {
        lower = 0x80; upper = 0xbf;
        cp = (cp << 6) | (x & 0x3f);
        if (--need === 0) {
          if (cp > 0xffff) { cp -= 0x10000; units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff)); }
          else units.push(cp);
          cp = 0;
        }
      }
      if (units.length >= 8192) parts.push(String.fromCharCode.apply(null, units.splice(0)));
    }
    if (need !== 0) bad();
    parts.push(String.fromCharCode.apply(null, units));
    return parts.join('');
  }
}

const g = globalThis as Record<string, unknown>;
if (typeof g.TextEncoder !== 'function') g.TextEncoder = Utf8Encoder;
if (typeof g.TextDecoder !== 'function') g.TextDecoder = Utf8Decoder;

export { Utf8Encoder, Utf8Decoder };
