/**
 * The LLM content judge: a local GGUF model reads the transcript and rates each rubric criterion,
 * one criterion per generation (progress per criterion, prompt cancellation, one bad answer costs
 * one criterion). Output is constrained to JSON by a grammar, validated with zod, and every quote
 * is checked against the transcript: a verdict whose quote the partner never said is voided, and
 * the combine step uses the deterministic judge's verdict for that criterion instead.
 *
 * Timeout: `timeoutMs` bounds the whole judge() call (including a lazy model load); when it passes,
 * the generation is stopped and judge() rejects with TIMEOUT; verdicts already produced are
 * discarded (the caller falls back to the deterministic judgment). Abort → CANCELLED.
 */
import type {
  CriterionVerdict,
  Evidence,
  Judge,
  JudgeInput,
  JudgeOptions,
  Judgment,
} from '../../../../shared/analysis/judgment';
import { verdictScore } from '../../../../shared/analysis/judgment';
import { transcriptWords } from '../../../../shared/transcript/transcript';
import { AppError, isAppError } from '../../../../shared/errors';
import type { Criterion } from '../../../../shared/pack/schema';
import { createLogger } from '../../../core/util/logger';
import { loadLlm, type JsonLlm, type LlmRuntime } from '../../llm/llm-runtime';
import { buildEvidenceIndex, findQuote, type EvidenceIndex } from './evidence';
import {
  buildCriterionPrompt,
  buildInstructions,
  buildSystemPrompt,
  fitTranscript,
  formatTime,
  transcriptLines,
  type PromptLimits,
} from './prompt';
import { parseModelVerdict, verdictJsonSchema, type ModelVerdict } from './verdict-schema';

const log = createLogger('llm-judge');

export const VOID_REASONS = {
  quoteNotFound: 'evidence quote not found in transcript',
  noQuote: 'no evidence quote given for a positive verdict',
  cutOff: 'model output was cut off at the token limit',
  emptyTranscript: 'the transcript has no speech',
} as const;

export interface LlmJudgeOptions {
  /** A loaded runtime (shared, not disposed by the judge) or anything implementing JsonLlm. */
  runtime?: JsonLlm;
  /** Or a model file, loaded on first use and kept until dispose(). */
  modelPath?: string;
  modelId?: string;
  /** Recorded in Judgment.model; default the runtime's model name (file name without .gguf). */
  modelName?: string;
  /** Bound on one judge() call. Default 180 s. */
  timeoutMs?: number;
  /** Generation limit per criterion. Default 256. */
  maxTokensPerCriterion?: number;
  /** Default 300 characters each. */
  maxQuoteChars?: number;
  maxRationaleChars?: number;
  /** For a lazily loaded model. */
  contextSize?: number;
  threads?: number;
  loadTimeoutMs?: number;
}

export interface LlmJudge extends Judge {
  readonly name: 'llm';
  /** Unloads a model the judge loaded itself; a runtime passed in is left to its owner. */
  dispose(): Promise<void>;
}

/** Tokens reserved for the chat template's wrapping (role markers, generation prefix). */
const TEMPLATE_OVERHEAD_TOKENS = 48;

export function createLlmJudge(options: LlmJudgeOptions): LlmJudge {
  if (!options.runtime && !options.modelPath) {
    throw new AppError('INVALID_INPUT', 'The LLM judge needs a runtime or a modelPath');
  }
  const timeoutMs = options.timeoutMs ?? 180_000;
  const maxTokens = options.maxTokensPerCriterion ?? 256;
  const limits: PromptLimits = {
    maxQuoteChars: options.maxQuoteChars ?? 300,
    maxRationaleChars: options.maxRationaleChars ?? 300,
  };
  let owned: Promise<LlmRuntime> | undefined;

  const getLlm = (signal: AbortSignal): Promise<JsonLlm> => {
    if (options.runtime) return Promise.resolve(options.runtime);
    if (!owned) {
      owned = loadLlm({
        modelPath: options.modelPath!,
        signal,
        ...(options.modelId === undefined ? {} : { modelId: options.modelId }),
        ...(options.contextSize === undefined ? {} : { contextSize: options.contextSize }),
        ...(options.threads === undefined ? {} : { threads: options.threads }),
        ...(options.loadTimeoutMs === undefined ? {} : { loadTimeoutMs: options.loadTimeoutMs }),
      });
      owned.catch(() => (owned = undefined));
    }
    return owned;
  };

  const judge = async (input: JudgeInput, judgeOptions: JudgeOptions = {}): Promise<Judgment> => {
    const timeout = new AbortController();
    const timer = setTimeout(
      () =>
        timeout.abort(
          new AppError('TIMEOUT', `The AI judge took longer than ${Math.round(timeoutMs / 1000)} s`, {
            hint: 'Use a smaller model or raise the judge timeout; the rule-based verdicts are used meanwhile',
          }),
        ),
      timeoutMs,
    );
    const signal = judgeOptions.signal
      ? AbortSignal.any([judgeOptions.signal, timeout.signal])
      : timeout.signal;
    try {
      return await runJudgment(input, judgeOptions, signal, await raceAbort(getLlm(signal), signal));
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  const runJudgment = async (
    input: JudgeInput,
    judgeOptions: JudgeOptions,
    signal: AbortSignal,
    llm: JsonLlm,
  ): Promise<Judgment> => {
    const { scenario, transcript } = input;
    const rubric = scenario.rubric;
    const modelName = options.modelName ?? llm.modelName;
    const notes: string[] = [];
    const verdicts: CriterionVerdict[] = [];
    const progress = (i: number, criterion: Criterion) =>
      judgeOptions.onProgress?.(
        (i + 1) / rubric.length,
        `AI judge: ${criterion.title} (${i + 1}/${rubric.length})`,
      );

    if (transcriptWords(transcript).length === 0 && !transcript.segments.some((s) => s.text.trim())) {
      rubric.forEach((criterion, i) => {
        verdicts.push(voided(criterion, VOID_REASONS.emptyTranscript));
        progress(i, criterion);
      });
      notes.push('The AI judge had no speech to assess; the rule-based verdicts are used.');
      return { judge: 'llm', model: modelName, verdicts, notes };
    }

    const instructions = buildInstructions(scenario, transcript, limits);
    const userPrompts = rubric.map((c) => buildCriterionPrompt(scenario, c));
    const fixed =
      llm.countTokens(buildSystemPrompt(instructions, '')) +
      Math.max(...userPrompts.map((u) => llm.countTokens(u))) +
      TEMPLATE_OVERHEAD_TOKENS;
    const budget = Math.floor((llm.contextSize - maxTokens - fixed) * 0.95);
    if (budget < 32) {
      throw new AppError(
        'MODEL_INVALID',
        `The model's context (${llm.contextSize} tokens) is too small for this scenario's rubric`,
        { hint: 'Choose a model with a larger context, or a lower maxTokensPerCriterion' },
      );
    }
    const fitted = fitTranscript(transcriptLines(transcript), budget, (t) => llm.countTokens(t));
    if (fitted.omitted) {
      notes.push(
        `The transcript was too long for the AI judge's context: it did not see ${formatTime(fitted.omitted.from)}–${formatTime(fitted.omitted.to)}.`,
      );
    }
    const system = buildSystemPrompt(instructions, fitted.text);
    const index = buildEvidenceIndex(transcript);

    for (const [i, criterion] of rubric.entries()) {
      if (signal.aborted) throw abortReason(signal);
      const started = performance.now();
      const completion = await llm.completeJson({
        system,
        user: userPrompts[i]!,
        schema: verdictJsonSchema(criterion, limits),
        maxTokens,
        signal,
      });
      const verdict = completion.complete
        ? toVerdict(criterion, parseModelVerdict(criterion, completion.text, limits), index)
        : voided(criterion, VOID_REASONS.cutOff);
      log.debug('criterion judged', {
        criterion: criterion.id,
        ms: Math.round(performance.now() - started),
        promptTokens: completion.promptTokens,
        generatedTokens: completion.generatedTokens,
        voided: verdict.voided,
      });
      verdicts.push(verdict);
      progress(i, criterion);
    }

    const voidedCount = verdicts.filter((v) => v.voided).length;
    if (voidedCount > 0) {
      notes.push(
        `${voidedCount} of ${verdicts.length} AI verdicts were discarded (unsupported or malformed answers); the rule-based verdicts stand for those criteria.`,
      );
    }
    return { judge: 'llm', model: modelName, verdicts, notes };
  };

  return {
    name: 'llm',
    judge,
    dispose: async () => {
      const runtime = owned;
      owned = undefined;
      if (runtime) await (await runtime.catch(() => undefined))?.dispose();
    },
  };
}

function abortReason(signal: AbortSignal): AppError {
  const reason: unknown = signal.reason;
  return isAppError(reason)
    ? reason
    : new AppError('CANCELLED', 'The AI judge was cancelled', { cause: reason });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function voided(criterion: Criterion, reason: string): CriterionVerdict {
  return {
    criterionId: criterion.id,
    met: null,
    level: null,
    score: null,
    evidence: [],
    rationale: '',
    judge: 'llm',
    voided: reason,
  };
}

/** A criterion that only forbids things is met by absence: no quote can show it. */
function metByAbsence(criterion: Criterion): boolean {
  const c = criterion.checks;
  return (
    c?.avoidForbiddenPhrases === true &&
    !c.keyMessages?.length &&
    !c.questions?.length &&
    !c.objectionSteps?.length &&
    !c.delivery?.length
  );
}

function isPositive(criterion: Criterion, v: ModelVerdict): boolean {
  if (v.kind === 'check') return v.met !== metByAbsence(criterion);
  return v.level >= 2;
}

/**
 * Applies the evidence rules to a parsed answer: a quote must be in the transcript (else voided);
 * a positive verdict (met, or level 2+) needs a quote; a negative one may have none.
 */
export function toVerdict(
  criterion: Criterion,
  parsed: ReturnType<typeof parseModelVerdict>,
  index: EvidenceIndex,
): CriterionVerdict {
  if (!parsed.ok) return voided(criterion, parsed.reason);
  const v = parsed.verdict;
  const evidence: Evidence[] = [];
  if (v.evidence) {
    const found = findQuote(index, v.evidence);
    if (!found) return voided(criterion, VOID_REASONS.quoteNotFound);
    evidence.push(found);
  } else if (isPositive(criterion, v)) {
    return voided(criterion, VOID_REASONS.noQuote);
  }
  const met = v.kind === 'check' ? v.met : null;
  const level = v.kind === 'rating' ? v.level : null;
  return {
    criterionId: criterion.id,
    met,
    level,
    score: verdictScore(criterion, met, level),
    evidence,
    rationale: v.rationale,
    judge: 'llm',
  };
}
