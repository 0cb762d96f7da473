export * from "./adSignalState.js";
export * from "./behaviourProfiles.js";
export * from "./pageLayout.js";
export * from "../random/seededRandom.js";
export * from "./sessionGenerator.js";
export * from "./userParameters.js";
export * from "./userProcess.js";
export * from "./userState.js";
