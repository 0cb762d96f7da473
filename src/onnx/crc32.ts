let table: Uint32Array | undefined;

/**
 * CRC-32 (IEEE 802.3, as zlib/PNG) of one or more byte runs, as 8 lowercase hex digits.
 * The exporter stores it over the graph's constants so a corrupted file fails to load.
 */
export function crc32Hex(parts: readonly Uint8Array[]): string {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const bytes of parts) for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, "0");
}
