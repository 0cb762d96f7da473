/**
 * Quotes a CSV field when it needs it (RFC 4180: a comma, quote, CR or LF), and when it starts
 * or ends with white space, which some readers would trim.
 */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Splits one CSV line into fields (RFC 4180 quoting; fields do not span lines).
 * Throws RangeError with the column on an unterminated quote.
 */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) throw new RangeError(`unterminated quoted field starting at column ${fields.length + 1}`);
        value += line.slice(j, q);
        if (line[q + 1] === '"') {
          value += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      if (i >= line.length) return fields;
      if (line[i] !== ",") throw new RangeError(`unexpected text after the quoted field in column ${fields.length}`);
      i++;
    } else {
      const comma = line.indexOf(",", i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** The problem of a CSV field that {@link parseCsvNumber} refused, with the field as found. */
export function csvNumberProblem(field: string): string {
  return `must be a finite number, got ${JSON.stringify(field)} (decimal, like 12, -0.5 or 1e-7)`;
}

/** A decimal number as JSON writes one (`-0.5`, `1e-7`, `12`): no hex, octal, binary, `Infinity`, `.5` or `_`. */
const DECIMAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A CSV number field (surrounding spaces allowed) as a finite number, or undefined when it is
 * not a decimal number in JSON's grammar or overflows (`1e999`). `Number()` alone would take
 * `0x10`, `0b1`, `""` and `Infinity`.
 */
export function parseCsvNumber(field: string): number | undefined {
  const text = field.trim();
  if (!DECIMAL_NUMBER.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
