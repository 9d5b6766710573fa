export { createDeterministicJudge, NO_CHECKS_RATIONALE, ratingLevel } from './deterministic-judge';
export { nlpResources } from './nlp-resources';
export { analyseTranscript, type AnalysedText } from './text-analysis';
export { checkKeyMessage, KEY_MESSAGE_THRESHOLD } from './key-messages';
export { findForbiddenPhrases, FORBIDDEN_THRESHOLD, type ForbiddenHit } from './forbidden-phrases';
export { QUESTION_THRESHOLD } from './required-questions';
export { findObjectionSteps, type StepFinding } from './objection-steps';
export type { CheckResult, CheckStatus } from './check-result';
