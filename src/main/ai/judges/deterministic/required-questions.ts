/**
 * Required (discovery) questions: asked when a question of the answer — a sentence ending in "?"
 * or opening like one ("what budget did you…", "do you…") — covers the question's text or one of
 * its phrasings with a score of at least QUESTION_THRESHOLD.
 */
import type { Scenario } from '../../../../shared/pack/schema';
import { type CheckResult, label } from './check-result';
import { searchPhrasings, unitEvidence } from './key-messages';
import { type AnalysedText, formatTime } from './text-analysis';

export const QUESTION_THRESHOLD = 0.65;

export function checkRequiredQuestion(
  text: AnalysedText,
  question: Scenario['requiredQuestions'][number],
): CheckResult {
  const { best } = searchPhrasings(text, [question.text, ...question.phrasings], { questionsOnly: true });
  if (best && best.score >= QUESTION_THRESHOLD) {
    const evidence = unitEvidence(text, best.unit);
    return {
      kind: 'question',
      id: question.id,
      status: 'pass',
      evidence: [evidence],
      confidence: Math.min(1, best.score),
      message: `you asked "${label(question.text)}" at ${formatTime(evidence.start)}`,
    };
  }
  return {
    kind: 'question',
    id: question.id,
    status: 'fail',
    evidence: [],
    confidence: 1 - Math.min(1, best?.score ?? 0),
    message: `you did not ask "${label(question.text)}"`,
  };
}
