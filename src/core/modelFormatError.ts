/** Raised when a model file is not a valid model; the message names the source and field. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelFormatError";
  }
}
