// CRC-32 (IEEE 802.3, the zlib/PNG one: reflected polynomial 0xEDB88320,
// initial value and final xor 0xFFFFFFFF). The .pws header carries it over
// everything after the header, so that a damaged file is rejected before a
// single field of it is trusted. Check value: crc32("123456789") = 0xCBF43926.

const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of bytes[start, end), as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
