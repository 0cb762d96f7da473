/**
 * ROC AUC (Mann-Whitney, ties count one half) by sorting the positives' and the negatives'
 * scores separately with the native numeric sort and merging: the same value as
 * `rocAuc` of classificationMetrics (tested), several times faster on large inputs, for
 * the permutation importance's many re-scorings. Needs both classes (else NaN).
 */
export function sortedRocAuc(scores: ArrayLike<number>, y: Uint8Array): number {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  const negatives = y.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  let a = 0;
  let b = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  // For each positive: negatives strictly below + half of the tied ones.
  let below = 0;
  let upTo = 0;
  let pairs = 0;
  for (let k = 0; k < positives; k++) {
    const s = pos[k];
    while (below < negatives && neg[below] < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < negatives && neg[upTo] <= s) upTo++;
    pairs += below + 0.5 * (upTo - below);
  }
  return pairs / (positives * negatives);
}
