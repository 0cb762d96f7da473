/**
 * Too few windows of one class (or too few sessions) for the step that throws it: a question of
 * how much data there is, not a bug. Callers that know how the data was made (the pipeline's
 * `--samples`, `--seed`) tell the user what to do about it. Still a `RangeError`, with the
 * step's own message.
 */
export class TooFewOfAClassError extends RangeError {}
