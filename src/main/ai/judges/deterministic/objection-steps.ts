/**
 * Objection-handling structure: acknowledge → clarify → respond → confirm.
 *
 * Each sentence of the answer is matched against cue patterns written over wink's normal forms
 * ("that's" → "that is", "can't" → "can not"), so a negated cue ("I don't understand") does not
 * match. Steps are then placed in order:
 *   acknowledge  the first acknowledging sentence, within the first 40% of sentences (at least 2)
 *   respond      the first statement at or after it that carries a key message of the scenario or a
 *                value cue ("you'll save…", "our customers…", "for example", a percentage)
 *   clarify      the first question between acknowledge and respond that is not a check-back, or
 *                "help me understand…"
 *   confirm      the last check-back question after the response, within the last 34% (at least 2)
 * A step said only out of that order counts as missing, with a message saying why.
 */
import type { ObjectionStep, Scenario } from '../../../../shared/pack/schema';
import type { CheckResult } from './check-result';
import { KEY_MESSAGE_THRESHOLD, unitEvidence } from './key-messages';
import { phraseContent } from './check-result';
import { matchUnit } from './phrase-matcher';
import { type AnalysedSentence, type AnalysedText, formatTime } from './text-analysis';

const ACKNOWLEDGE = [
  /\b(i|we) (completely |totally |really |fully |definitely |absolutely |certainly |do )?(understand|hear you|hear that|hear what|get it|get that|get why|get where|see why|see where|see what you mean|see how|appreciate|know how|can see|can imagine|can understand|respect)\b/,
  /\b(fair|good|great|valid|reasonable|important|common|understandable|legitimate|totally fair|really good) (point|question|concern|worry|objection|thing to raise|to ask)\b/,
  /\bfair enough\b/,
  /\bmakes (total |complete |perfect |a lot of )?sense\b/,
  /\byou are (absolutely |completely |totally )?(right|not alone|not the first)\b/,
  /\b(that|it|this) is (completely |totally |perfectly |very )?(understandable|fair|reasonable|valid|a concern)\b/,
  /\bthanks? (you )?for (raising|sharing|bringing|asking|being (so )?(honest|upfront|open)|telling|the question|pointing)\b/,
  /\b(many|lots of|a lot of|other|most|some) (of our )?(customers|clients|people|partners|buyers) (have |had |also )?(felt|feel|said|say|told|asked|ask|worried|worry|raised|mentioned|had the same)\b/,
  /\bsorry to hear\b/,
  /\bi hear\b/,
];

const CONFIRM = [
  /\b(does|did|would|will|could|can|has|have) (that|this|it) (address|answer|help|work|solve|resolve|make sense|sound|cover|ease|settle|take care|clear|clarify|put|change|meet)\b/,
  /\bhow (does|would|do) (that|this|it|you feel)\b/,
  /\bwhat do you think\b/,
  /\b(is|would) (that|this) (be )?(ok|okay|fair|helpful|acceptable|alright|all right|useful|enough|work)\b/,
  /\bany (other )?(questions|concerns|thoughts)\b/,
  /\bare you (comfortable|ok|okay|happy|open)\b/,
  /\b(shall|should|can|could) we (move|go|schedule|set up|book|try|start|look|talk)\b/,
  /\b(do|would) you (be open|want to|like to|agree)\b/,
  /\bsound (good|fair|reasonable)\b/,
];

const CLARIFY_STATEMENT = [
  /\bhelp me understand\b/,
  /\btell me (a bit |a little )?more\b/,
  /\b(i would|i'd) (love|like) to (understand|know|hear|learn)\b/,
  /\bwalk me through\b/,
];

const VALUE = [
  /\byou (will |would |can |could |should |might )?(also )?(save|get|see|gain|reduce|cut|lower|avoid|keep|recover|start|only pay|pay only|pay less|spend less|free up|win|earn)\b/,
  /\b(it|this|that|we|our \w+) (will |can |would |also |actually )?(helps?|lets?|means|gives?|saves?|reduces?|cuts?|lowers?|pays? for itself|includes?|offers?|provides?|covers?|removes?|handles?|automates?)\b/,
  /\b(customers|clients|companies|teams|fleets|partners|businesses) (like|similar|typically|usually|often|see|saw|report|reported|tell|told|found|have seen)\b/,
  /\b(return on investment|roi|payback|pay back|the value|cost of|compared to|compared with|on average|for example|for instance|in fact|the reason|because|which means|that means)\b/,
  /\b(saves?|saving|lower|lowers|cuts?|reduces?|less|fewer|faster|cheaper|pays? off)\b/,
  /\d+ ?(%|percent|per cent|dollars|euros|pounds|hours|days|weeks|months|minutes)\b/,
  /\b(we|i) (can|could|will|would) (offer|set up|start|do|provide|show|help|arrange|give|include|waive|reduce|match|guarantee|walk|work|make)\b/,
];

export interface StepFinding {
  step: ObjectionStep;
  /** Sentence index, or null when not found. */
  sentence: number | null;
  /** Found somewhere, but not where the structure expects it. */
  outOfOrder: string | null;
}

function sentenceText(text: AnalysedText, s: AnalysedSentence): string {
  return text.tokens
    .slice(s.from, s.to)
    .filter((t) => !t.punct)
    .map((t) => t.normal)
    .join(' ');
}

const matchesAny = (patterns: RegExp[], s: string) => patterns.some((p) => p.test(s));

/** Where each of the four steps was said (see the file comment for the rules). */
export function findObjectionSteps(
  text: AnalysedText,
  scenario: Scenario,
): Record<ObjectionStep, StepFinding> {
  const n = text.sentences.length;
  const sentences = text.sentences.map((s) => ({ s, t: sentenceText(text, s) }));
  const earlyLimit = Math.max(2, Math.ceil(n * 0.4));
  const lateFrom = Math.min(n - 2, Math.floor(n * 0.66));
  const messageContent = scenario.keyMessages.flatMap((k) => [k.text, ...k.phrasings]).map(phraseContent);

  const isAck = (i: number) => matchesAny(ACKNOWLEDGE, sentences[i]!.t);
  const isConfirm = (i: number) => sentences[i]!.s.question && matchesAny(CONFIRM, sentences[i]!.t);
  const isClarify = (i: number) =>
    (sentences[i]!.s.question && !matchesAny(CONFIRM, sentences[i]!.t)) ||
    matchesAny(CLARIFY_STATEMENT, sentences[i]!.t);
  const isRespond = (i: number) => {
    const { s, t } = sentences[i]!;
    if (s.question) return false;
    if (matchesAny(VALUE, t)) return true;
    return messageContent.some(
      (c) =>
        c.length > 0 &&
        matchUnit(text, { from: s.from, to: s.to, factor: 1 }, c).score >= KEY_MESSAGE_THRESHOLD,
    );
  };
  const first = (pred: (i: number) => boolean, from = 0, to = n) => {
    for (let i = Math.max(0, from); i < to; i++) if (pred(i)) return i;
    return null;
  };
  const last = (pred: (i: number) => boolean, from = 0) => {
    for (let i = n - 1; i >= Math.max(0, from); i--) if (pred(i)) return i;
    return null;
  };

  const ackAny = first(isAck);
  const ack = ackAny !== null && ackAny < earlyLimit ? ackAny : null;
  const respond = first(isRespond, ack ?? 0);
  const clarify = first(isClarify, ack ?? 0, respond ?? n);
  const confirmAt = last(isConfirm, Math.max(lateFrom, respond !== null ? respond + 1 : 0));
  const confirm = respond !== null && confirmAt !== null && confirmAt > respond ? confirmAt : null;

  const finding = (
    step: ObjectionStep,
    at: number | null,
    anywhere: number | null,
    why: string,
  ): StepFinding => ({
    step,
    sentence: at,
    outOfOrder: at === null && anywhere !== null ? why : null,
  });
  return {
    acknowledge: finding('acknowledge', ack, ackAny, 'it came late; acknowledge the concern first'),
    clarify: finding('clarify', clarify, first(isClarify), 'your question came after your response'),
    respond: finding('respond', respond, first(isRespond), 'it came before you acknowledged the concern'),
    confirm: finding(
      'confirm',
      confirm,
      first(isConfirm),
      'your check-back question came before your response or too early',
    ),
  };
}

const STEP_LABEL: Record<ObjectionStep, { done: string; missing: string }> = {
  acknowledge: { done: 'acknowledged the concern', missing: 'did not acknowledge the concern first' },
  clarify: { done: 'asked a clarifying question', missing: 'did not ask a question to clarify the concern' },
  respond: { done: 'responded with value', missing: 'did not respond with a key message or concrete value' },
  confirm: {
    done: 'checked back with the customer',
    missing: 'did not check back that the concern was resolved',
  },
};

export function checkObjectionSteps(
  text: AnalysedText,
  scenario: Scenario,
  steps: readonly ObjectionStep[],
): CheckResult[] {
  const found = findObjectionSteps(text, scenario);
  return steps.map((step) => {
    const f = found[step];
    if (f.sentence !== null) {
      const s = text.sentences[f.sentence] as AnalysedSentence;
      const evidence = unitEvidence(text, s);
      return {
        kind: 'objectionStep' as const,
        id: step,
        status: 'pass' as const,
        evidence: [evidence],
        confidence: 0.7,
        message: `you ${STEP_LABEL[step].done} at ${formatTime(evidence.start)}`,
      };
    }
    return {
      kind: 'objectionStep' as const,
      id: step,
      status: 'fail' as const,
      evidence: [],
      confidence: 0.6,
      message: `you ${STEP_LABEL[step].missing}${f.outOfOrder ? ` (${f.outOfOrder})` : ''}`,
    };
  });
}
