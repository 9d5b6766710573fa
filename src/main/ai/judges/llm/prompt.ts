/**
 * Prompts for the LLM judge. One system message per judgment (instructions, scenario, persona and
 * the timestamped transcript) and one short user message per criterion. The system message comes
 * first and is identical for every criterion, so the runtime evaluates it once and reuses it.
 * Pure functions: token counting is passed in.
 */
import type { Criterion, Scenario } from '../../../../shared/pack/schema';
import type { Transcript } from '../../../../shared/transcript/transcript';
import { formatClock as formatTime } from '../../../../shared/text/format';

export interface PromptLimits {
  /** Longest evidence quote asked for, in characters (also enforced by the grammar). */
  maxQuoteChars: number;
  maxRationaleChars: number;
}

export interface TranscriptLine {
  start: number;
  end: number;
  text: string;
}

/** Seconds as m:ss (or h:mm:ss): the shared clock. */
export { formatTime };

/**
 * One line per segment, long segments split every `maxWordsPerLine` words so that each line has
 * a close timestamp. Speaker labels are kept for two-speaker transcripts.
 */
export function transcriptLines(transcript: Transcript, maxWordsPerLine = 40): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const segment of transcript.segments) {
    const label = segment.speaker ? `${segment.speaker}: ` : '';
    if (segment.words.length <= maxWordsPerLine) {
      const text = segment.text.trim();
      if (text) lines.push({ start: segment.start, end: segment.end, text: label + text });
      continue;
    }
    for (let i = 0; i < segment.words.length; i += maxWordsPerLine) {
      const chunk = segment.words.slice(i, i + maxWordsPerLine);
      const text = chunk
        .map((w) => w.text.trim())
        .filter(Boolean)
        .join(' ')
        .replace(/\s+([,.;:!?])/gu, '$1');
      const first = chunk[0];
      const last = chunk[chunk.length - 1];
      if (text && first && last) lines.push({ start: first.start, end: last.end, text: label + text });
    }
  }
  return lines;
}

export function formatLine(line: TranscriptLine): string {
  return `[${formatTime(line.start)}] ${line.text}`;
}

export interface FittedTranscript {
  text: string;
  /** Set when lines were left out to fit the context. */
  omitted: { from: number; to: number; lines: number } | null;
}

/**
 * Fits the transcript into `budgetTokens`. When it does not fit, whole lines are kept from the start
 * (two thirds of the budget) and from the end (the rest), and one marker line replaces the middle:
 * openings and closings (introductions, calls to action) are where most rubric evidence sits.
 */
export function fitTranscript(
  lines: TranscriptLine[],
  budgetTokens: number,
  countTokens: (text: string) => number,
): FittedTranscript {
  const formatted = lines.map(formatLine);
  const cost = formatted.map((l) => countTokens(l) + 1);
  const total = cost.reduce((a, b) => a + b, 0);
  if (total <= budgetTokens) return { text: formatted.join('\n'), omitted: null };

  const markerCost = countTokens('[… 0:00 to 0:00 left out: the transcript is too long …]') + 1;
  const usable = Math.max(0, budgetTokens - markerCost);
  let head = 0;
  let used = 0;
  while (head < lines.length && used + cost[head]! <= (usable * 2) / 3) used += cost[head++]!;
  let tail = lines.length;
  while (tail - 1 >= head && used + cost[tail - 1]! <= usable) used += cost[--tail]!;
  if (tail <= head) return { text: formatted.join('\n'), omitted: null };
  const from = lines[head]!.start;
  const to = lines[tail - 1]!.end;
  const marker = `[… ${formatTime(from)} to ${formatTime(to)} left out: the transcript is too long …]`;
  return {
    text: [...formatted.slice(0, head), marker, ...formatted.slice(tail)].join('\n'),
    omitted: { from, to, lines: tail - head },
  };
}

/** Instructions and scenario, without the transcript. */
export function buildInstructions(scenario: Scenario, transcript: Transcript, limits: PromptLimits): string {
  const p = scenario.persona;
  const customer = [
    `${p.name}, ${p.role}${p.company ? ` at ${p.company}` : ''}.`,
    p.disposition ? ` ${p.disposition}` : '',
    p.background ? ` ${p.background}` : '',
  ].join('');
  const who = transcript.partnerSpeaker
    ? `Only lines by "${transcript.partnerSpeaker}" are the partner's; other speakers are the customer.`
    : 'The transcript is the partner speaking.';
  return [
    "You assess a partner's recorded answer in a sales certification role-play, one rubric criterion at a time. Judge only what the partner said. Reply in JSON.",
    `"evidence": the partner's exact words copied from the transcript (at most ${limits.maxQuoteChars} characters, no timestamp), or "" if nothing supports the verdict.`,
    `"rationale": one or two short sentences to the partner, saying "you" (at most ${limits.maxRationaleChars} characters).`,
    '',
    `Scenario: ${scenario.title} (${scenario.kind})`,
    `Brief: ${scenario.brief}`,
    `Customer: ${customer}`,
    scenario.customerPrompt ? `Customer says: ${scenario.customerPrompt}` : '',
    who,
  ]
    .filter((line, i) => line !== '' || i === 3)
    .join('\n');
}

/** The system message: instructions, scenario, then the (fitted) transcript. */
export function buildSystemPrompt(instructions: string, transcriptText: string): string {
  return `${instructions}\n\nTranscript ([m:ss] = time):\n${transcriptText || '(no speech)'}`;
}

/** The user message for one criterion, with the key messages, questions and phrases it refers to. */
export function buildCriterionPrompt(scenario: Scenario, criterion: Criterion): string {
  const lines = [`Criterion: ${criterion.title}`, criterion.description];
  const checks = criterion.checks;
  const keyMessages = scenario.keyMessages.filter((k) => checks?.keyMessages?.includes(k.id));
  if (keyMessages.length > 0) {
    lines.push('Key messages to look for:');
    for (const k of keyMessages)
      lines.push(`- ${k.text}${k.phrasings[0] ? ` (e.g. "${k.phrasings[0]}")` : ''}`);
  }
  const questions = scenario.requiredQuestions.filter((q) => checks?.questions?.includes(q.id));
  if (questions.length > 0) {
    lines.push('Questions the partner should ask:');
    for (const q of questions) lines.push(`- ${q.text}`);
  }
  if (checks?.avoidForbiddenPhrases && scenario.forbiddenPhrases.length > 0) {
    lines.push('The partner must not say:');
    for (const f of scenario.forbiddenPhrases) lines.push(`- "${f.phrase}" (${f.reason})`);
  }
  if (checks?.objectionSteps && checks.objectionSteps.length > 0) {
    lines.push(`Objection-handling steps expected, in order: ${checks.objectionSteps.join(', ')}.`);
  }
  if (criterion.type === 'check') {
    lines.push('"verdict": "met" if the partner did this, otherwise "not_met".');
  } else {
    lines.push('"level": the level 1-5 that fits best:');
    for (const level of [1, 2, 3, 4, 5] as const) lines.push(`${level}: ${criterion.levels[level]}`);
  }
  return lines.join('\n');
}
