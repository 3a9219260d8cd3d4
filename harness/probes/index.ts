export type { Activations, ActivationSource, CollectOptions, StoryActivation } from './activations.ts';
export { collectActivations, isCalibrationDialogue, tokenRange } from './activations.ts';
export type { ControlTerm, ControlVector } from './control-vector.ts';
export { controlDirections, writeControlVector } from './control-vector.ts';
export type { BuildOptions, Built } from './build.ts';
export { buildVectors, calibrate, neutralProjections, vectorsFromActivations } from './build.ts';
export type { Corpus, EmotionEntry, NeutralDialogue, Premise, Story } from './corpus.ts';
export { allStories, bannedWordsIn, DEFAULT_CORPUS_DIR, dialogueText, loadCorpus } from './corpus.ts';
export type { Emotion } from './emotions.ts';
export {
  EMOTION_ALIASES,
  EMOTIONS,
  isEmotion,
  lookupEmotion,
  resolveEmotion,
  VALENCE_AROUSAL,
} from './emotions.ts';
export { cosine, dot, norm, symmetricEigen } from './linalg.ts';
export type { EmotionReading, TokenReadings } from './readings.ts';
export { readTokens, readTurn, turnReading } from './readings.ts';
export { renderValidationReport } from './report.ts';
export { defaultVectorsPath, vectorsForModel } from './paths.ts';
export { pearson, ranks, spearman } from './stats.ts';
export type { LayerValidation, ValidationResult } from './validate.ts';
export { defaultHeldOut, validateVectors } from './validate.ts';
export type { EmotionVectors, VectorsFile } from './vectors-file.ts';
export {
  decodeVectors,
  declaredVersion,
  encodeVectors,
  getVector,
  layerIndex,
  loadVectors,
  neutralStats,
  REBUILD_COMMAND,
  saveVectors,
  VECTORS_SCHEMA_VERSION,
  VectorsFileSchema,
  vectorsFileVersion,
} from './vectors-file.ts';
export type { LayerVectors, NeutralProjection } from './vectors.ts';
export { emotionVectors, neutralProjection } from './vectors.ts';
export { buildAndValidate, DEFAULT_TOKEN_OFFSET, recommendedLayer, validationPaths } from './pipeline.ts';
