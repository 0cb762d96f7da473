import type { InteractionModel } from "../core/interactionModel.js";
import { round } from "./rounding.js";
import type { TrainingResults } from "./trainingResults.js";

/**
 * The model file's `training` block (for people reading the file): settings and headline
 * figures, copied from the results so both files show the same rounded values.
 */
export function withTrainingBlock(model: InteractionModel, results: TrainingResults): InteractionModel {
  const train = results.split.train;
  return {
    ...model,
    training: {
      seed: results.seed,
      features: results.config.features,
      n_samples: train.n_samples,
      positive_ratio: round(train.n_positive / train.n_samples),
      C: results.config.model.C,
      class_weight: "balanced",
      cv_roc_auc_mean: results.cv_results.roc_auc_mean,
      held_out_roc_auc: results.held_out.roc_auc,
    },
  };
}
