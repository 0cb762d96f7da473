/**
 * A probability as a percentage with one decimal, except that a small but real chance reads
 * "< 0.1%" rather than a rounded "0.0%" (and a near-certain one "> 99.9%", not "100.0%"):
 * the panel never claims more precision, or certainty, than it has.
 */
export function formatProbability(p: number): string {
  if (p < 0.001) return "< 0.1%";
  if (p > 0.999) return "> 99.9%";
  return `${(p * 100).toFixed(1)}%`;
}
