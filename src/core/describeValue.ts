/**
 * A bad value as an error message shows it: numbers as written (NaN and Infinity included,
 * which JSON.stringify would print as null), strings quoted and cut at 60 characters,
 * containers by kind only (their content may be large or private), a missing value by name.
 * JSON cannot carry NaN or Infinity, so in files those come from strings (`"NaN"`, shown
 * quoted) or overflowing literals (`1e999` parses to Infinity).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  if (typeof value === "function" || typeof value === "symbol") return `a ${typeof value}`;
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
