import { ModelFormatError } from "../core/interactionModel.js";

/** Protobuf wire types. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

/** One decoded field: varints as numbers, length-delimited and fixed fields as byte views. */
export interface ProtoField {
  readonly field: number;
  readonly wire: number;
  /** For WIRE_VARINT. */
  readonly int: number;
  /** For WIRE_BYTES / WIRE_FIXED32 / WIRE_FIXED64: a view into the source (no copy). */
  readonly bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * Minimal protobuf wire-format reader: splits one message into its fields, in order.
 * Varints above 2^53 (e.g. negative int64) are rejected, which is enough for the graph
 * we export. Any malformed input throws `ModelFormatError` naming `what` and the byte offset.
 * @internal
 */
export function readMessage(buf: Uint8Array, what: string): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const fail = (msg: string): never => {
    throw new ModelFormatError(`${what}: ${msg} at byte ${pos} of ${buf.length} (corrupt or truncated protobuf)`);
  };
  const varint = (): number => {
    let result = 0;
    let factor = 1;
    for (let k = 0; k < 10; k++) {
      if (pos >= buf.length) return fail("unexpected end inside a varint");
      const b = buf[pos++];
      result += (b & 0x7f) * factor;
      if (b < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) return fail("varint too large");
        return result;
      }
      factor *= 128;
    }
    return fail("varint longer than 10 bytes");
  };
  const take = (n: number): Uint8Array => {
    if (n > buf.length - pos) return fail(`field of ${n} bytes runs past the end`);
    const out = buf.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) fail("field number 0");
    switch (wire) {
      case WIRE_VARINT:
        fields.push({ field, wire, int: varint(), bytes: EMPTY });
        break;
      case WIRE_FIXED64:
        fields.push({ field, wire, int: 0, bytes: take(8) });
        break;
      case WIRE_BYTES:
        fields.push({ field, wire, int: 0, bytes: take(varint()) });
        break;
      case WIRE_FIXED32:
        fields.push({ field, wire, int: 0, bytes: take(4) });
        break;
      default:
        fail(`unsupported wire type ${wire} for field ${field}`);
    }
  }
  return fields;
}

/** Reads a packed repeated varint field (or a single varint) as numbers. @internal */
export function readPackedVarints(field: ProtoField, what: string): number[] {
  if (field.wire === WIRE_VARINT) return [field.int];
  if (field.wire !== WIRE_BYTES) throw new ModelFormatError(`${what}: expected varints, got wire type ${field.wire}`);
  // A packed run is a sequence of varints; reuse the message reader by prefixing keys is overkill: decode inline.
  const out: number[] = [];
  const buf = field.bytes;
  let pos = 0;
  while (pos < buf.length) {
    let result = 0;
    let factor = 1;
    for (;;) {
      if (pos >= buf.length) throw new ModelFormatError(`${what}: truncated packed varint`);
      const b = buf[pos++];
      result += (b & 0x7f) * factor;
      if (b < 0x80) break;
      factor *= 128;
      if (factor > 2 ** 63) throw new ModelFormatError(`${what}: varint too long`);
    }
    if (result > Number.MAX_SAFE_INTEGER) throw new ModelFormatError(`${what}: varint too large`);
    out.push(result);
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes a length-delimited field as UTF-8. @internal */
export function readString(field: ProtoField, what: string): string {
  if (field.wire !== WIRE_BYTES) throw new ModelFormatError(`${what}: expected a string, got wire type ${field.wire}`);
  try {
    return utf8.decode(field.bytes);
  } catch {
    throw new ModelFormatError(`${what}: invalid UTF-8`);
  }
}
