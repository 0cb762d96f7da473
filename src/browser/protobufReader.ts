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
 * The most fields one decode may read, over all its messages and packed runs: our files hold
 * about 200 (13 nodes, 10 initializers, 10 metadata entries and their parts), some read twice.
 * A file of many tiny fields stops here, before it costs more than a few MB.
 */
export const MAX_PROTO_FIELDS = 20_000;

/** A count of fields left to read, shared by every read of one decode. @internal */
export interface FieldBudget {
  left: number;
}

/** A fresh budget of {@link MAX_PROTO_FIELDS} fields. @internal */
export function fieldBudget(): FieldBudget {
  return { left: MAX_PROTO_FIELDS };
}

function spend(budget: FieldBudget, fail: (msg: string) => never): void {
  if (--budget.left < 0) fail(`over ${MAX_PROTO_FIELDS} protobuf fields (ours have about 200)`);
}

/**
 * A cursor over `buf` reading varints and byte runs; malformed input throws `ModelFormatError`
 * naming `what` and the byte offset. Varints above 2^53 (e.g. negative int64) are rejected,
 * which is enough for the graph we export.
 */
function reader(buf: Uint8Array, what: string) {
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
      if (b < 0x80) return result > Number.MAX_SAFE_INTEGER ? fail("varint too large") : result;
      factor *= 128;
    }
    return fail("varint longer than 10 bytes");
  };
  const take = (n: number): Uint8Array => (n > buf.length - pos ? fail(`field of ${n} bytes runs past the end`) : buf.subarray(pos, (pos += n)));
  return { more: () => pos < buf.length, varint, take, fail };
}

/**
 * Minimal protobuf wire-format reader: splits one message into its fields, in order. Any
 * malformed input throws `ModelFormatError` naming `what` and the byte offset, and so does a
 * field beyond `budget` (shared by one decode's reads; checked before each field is built).
 * @internal
 */
export function readMessage(buf: Uint8Array, what: string, budget: FieldBudget = fieldBudget()): ProtoField[] {
  const fields: ProtoField[] = [];
  const { more, varint, take, fail } = reader(buf, what);
  while (more()) {
    spend(budget, fail);
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) fail("field number 0");
    // Fixed-width fields are kept as bytes (8 or 4 of them).
    const size = wire === WIRE_BYTES ? varint() : wire === WIRE_FIXED64 ? 8 : wire === WIRE_FIXED32 ? 4 : wire === WIRE_VARINT ? -1 : fail(`unsupported wire type ${wire} for field ${field}`);
    fields.push(size < 0 ? { field, wire, int: varint(), bytes: EMPTY } : { field, wire, int: 0, bytes: take(size) });
  }
  return fields;
}

/** Reads a packed repeated varint field (or a single varint) as numbers; each counts against `budget`. @internal */
export function readPackedVarints(field: ProtoField, what: string, budget: FieldBudget = fieldBudget()): number[] {
  if (field.wire === WIRE_VARINT) return [field.int];
  if (field.wire !== WIRE_BYTES) throw new ModelFormatError(`${what}: expected varints, got wire type ${field.wire}`);
  // A packed run is varints back to back: the message reader's varint decoder reads them.
  const out: number[] = [];
  const { more, varint, fail } = reader(field.bytes, what);
  while (more()) {
    spend(budget, fail);
    out.push(varint());
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
