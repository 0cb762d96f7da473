import { createHash } from "node:crypto";
import type { InteractionModel } from "../core/interactionModel.js";

/** A run id: 16 lowercase hex digits. */
const RUN_ID_PATTERN = /^[0-9a-f]{16}$/;

/**
 * The run id of a model: the first 16 hex digits of the SHA-256 of its JSON without
 * `training.run_id`. Derived from the content, so the same seed gives the same id (and the
 * same bytes); two runs that differ in anything the model holds get different ids.
 */
export function runIdOf(model: InteractionModel): string {
  const { run_id: _ignored, ...training } = model.training;
  return createHash("sha256")
    .update(JSON.stringify({ ...model, training }))
    .digest("hex")
    .slice(0, 16);
}

/** The model's stamped run id when it has a valid one (written by this version), else the id of its content. */
export function runIdFromModel(model: InteractionModel): string {
  const stamped = model.training.run_id;
  return typeof stamped === "string" && RUN_ID_PATTERN.test(stamped) ? stamped : runIdOf(model);
}

/** The model's `training.seed` when it is an integer, else null (a model from elsewhere). */
export function seedFromModel(model: InteractionModel): number | null {
  const seed = model.training.seed;
  return typeof seed === "number" && Number.isInteger(seed) ? seed : null;
}
