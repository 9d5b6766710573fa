/** `rehearse score <file> --scenario <id>`: analyse a recording or transcript and print the feedback. */
import type { Command } from 'commander';
import type { Feedback } from '../../shared/analysis/feedback';
import type { AnalysisProgress } from '../../shared/api/types';
import { AppError, deserializeError, type SerializedError } from '../../shared/errors';
import { getAttemptReview } from '../../main/core/attempts/review-service';
import { createAttemptFromFile } from '../../main/core/capture/attempt-from-file';
import { createAnalysisDeps } from '../../main/core/pipeline/analysis-deps';
import { createAnalysisJobs } from '../../main/core/pipeline/analysis-jobs';
import type { DeliveryMetrics } from '../../shared/metrics/delivery-metrics-types';
import { rateAgainstRange } from '../../shared/metrics';
import { formatDuration } from '../format';
import type { Run } from '../run';

const mark = (c: Feedback['criteria'][number]) =>
  c.score === null ? '?' : c.type === 'rating' ? `${c.level}/5` : c.met ? '✓' : '✗';

export function formatFeedback(f: Feedback, m: DeliveryMetrics | undefined, attemptId: string): string {
  const lines: string[] = [];
  lines.push(
    f.score === null
      ? `Score: not available (nothing could be judged automatically) — pass mark ${f.passMark}`
      : `Score: ${Math.round(f.score)} / 100 — ${f.passed ? 'PASS' : 'not yet'} (pass mark ${f.passMark})`,
  );
  for (const r of f.reasons) lines.push(`  · ${r}`);
  lines.push('', 'Criteria:');
  for (const c of f.criteria) {
    lines.push(`  ${mark(c).padEnd(4)} ${c.title}${c.required ? ' (required)' : ''} — ${c.rationale}`);
    for (const e of c.evidence.filter((x) => x.quote).slice(0, 2))
      lines.push(`         at ${formatDuration(e.start)}: "${e.quote}"`);
  }
  if (f.improvements.length) {
    lines.push('', 'Top improvements:');
    f.improvements.forEach((i, n) =>
      lines.push(`  ${n + 1}. [${formatDuration(i.moment.at)}] ${i.title}: ${i.detail}`),
    );
  }
  if (f.strengths.length) {
    lines.push('', 'Strengths:');
    for (const s of f.strengths) lines.push(`  + ${s.title}: ${s.detail}`);
  }
  if (m) {
    const rate = (metric: Parameters<typeof rateAgainstRange>[0], value: number | null) =>
      value === null ? '' : ` (${rateAgainstRange(metric, value)})`;
    lines.push(
      '',
      'Delivery:',
      `  pace ${Math.round(m.wordsPerMinute)} wpm${rate('wordsPerMinute', m.wordsPerMinute)} · fillers ${m.fillerCount} (${m.fillersPer100Words.toFixed(1)}/100 words${rate('fillersPer100Words', m.fillersPer100Words)})` +
        ` · pauses ${m.pauseCount}, longest ${m.longestPauseSeconds.toFixed(1)} s · questions ${m.questionsAsked}` +
        (m.timeUsedRatio === null ? '' : ` · time used ${Math.round(m.timeUsedRatio * 100)}%`) +
        (m.talkRatio === null ? '' : ` · talk ratio ${Math.round(m.talkRatio * 100)}%`),
    );
  }
  lines.push('', `Next: ${f.nextPractice}`);
  lines.push(
    '',
    `Judged by: ${f.judgedBy.llm ? `language model ${f.judgedBy.llm} and rules` : 'rules only (deterministic judge)'}`,
  );
  for (const n of f.notes) lines.push(`  note: ${n}`);
  lines.push(`Attempt ${attemptId} (see: rehearse attempts show ${attemptId.slice(0, 8)})`);
  return lines.join('\n');
}

export function registerScoreCommand(program: Command, run: Run): void {
  program
    .command('score')
    .description(
      'analyse a recording (WAV, or any format ffmpeg reads), transcript.json or transcript.txt against a scenario',
    )
    .argument('<file>', 'recording.wav | transcript.json | transcript.txt')
    .requiredOption('--scenario <id>', 'scenario id, or program/scenario')
    .option('--whisper-model <file>', 'whisper.cpp model file (default: the installed one)')
    .option('--vad-model <file>', 'Silero VAD model file (default: the installed one)')
    .option('--llm-model <file>', 'GGUF model for the language-model judge (default: the installed one)')
    .option('--no-llm', 'score with the rule-based judge only')
    .action(
      (
        file: string,
        o: { scenario: string; whisperModel?: string; vadModel?: string; llmModel?: string; llm: boolean },
      ) =>
        run(async ({ out, store, signal }) => {
          const s = await store();
          const { attemptId } = await createAttemptFromFile(s, file, o.scenario);
          const choice = {
            ...(o.whisperModel ? { whisperModel: o.whisperModel } : {}),
            ...(o.vadModel ? { vadModel: o.vadModel } : {}),
            ...(o.llm === false ? { llmModel: false as const } : o.llmModel ? { llmModel: o.llmModel } : {}),
          };
          const bars = new Map<string, ReturnType<typeof out.progress>>();
          const started = new Map<string, number>();
          const onProgress = (e: AnalysisProgress) => {
            if (e.status === 'running') {
              if (!bars.has(e.stage)) {
                started.set(e.stage, performance.now());
                bars.set(e.stage, out.progress(e.stage.padEnd(10), 100));
              }
              bars.get(e.stage)?.update(Math.round(e.progress * 100));
              return;
            }
            bars.get(e.stage)?.stop();
            const took = started.has(e.stage)
              ? ` (${((performance.now() - (started.get(e.stage) ?? 0)) / 1000).toFixed(1)} s)`
              : '';
            out.info(
              `${e.stage.padEnd(10)} ${e.status}${took}${e.message && e.status !== 'done' ? `: ${e.message}` : ''}`,
            );
          };
          // The same analysis service the app's handlers use (attempt.analyze), over this process's
          // models: no core is opened here, so createAnalysisDeps builds the one model manager.
          let failure: SerializedError | undefined;
          const jobs = createAnalysisJobs({
            store: s,
            emit: (event, payload) => {
              if (event === 'analysis.progressed') onProgress(payload as AnalysisProgress);
              if (event === 'analysis.finished') failure = (payload as { error?: SerializedError }).error;
            },
            createDeps: (store) => createAnalysisDeps(store, choice),
          });
          const cancel = () => jobs.cancel(attemptId);
          signal.addEventListener('abort', cancel);
          try {
            await jobs.start(attemptId);
            await jobs.settled(attemptId);
            if (failure) throw deserializeError(failure);
            const { feedback, metrics } = await getAttemptReview(s, attemptId);
            if (!feedback)
              throw new AppError('INTERNAL', `Attempt ${attemptId} was analysed but has no feedback`);
            out.result({ attemptId, feedback, metrics }, () =>
              formatFeedback(feedback, metrics ?? undefined, attemptId),
            );
            return 0;
          } finally {
            signal.removeEventListener('abort', cancel);
            for (const bar of bars.values()) bar.stop();
            await jobs.dispose();
          }
        }),
    );
}
