/**
 * Builds the pipeline's dependencies from what is installed: the whisper.cpp transcriber (created
 * only when a recording needs transcribing), the deterministic judge, and the LLM judge when a
 * language model is available. Explicit model paths override the model manager's choice.
 */
import { AppError } from '../../../shared/errors';
import { createDeterministicJudge } from '../../ai/judges/deterministic';
import { createLlmJudge, type LlmJudge } from '../../ai/judges/llm/llm-judge';
import type { Transcriber } from '../../ai/transcriber/transcriber';
import { createWhisperCliTranscriber } from '../../ai/transcriber/whisper-cli-transcriber';
import { createModelManager, loadCatalog, type ModelManager } from '../models';
import type { Store } from '../store';
import type { PipelineDeps } from './analysis-pipeline';

export interface AnalysisModelChoice {
  /** whisper.cpp ggml model file; default: the installed transcription model. */
  whisperModel?: string;
  /** Silero VAD ggml file; default: the installed VAD model (optional). */
  vadModel?: string;
  /** GGUF file for the LLM judge, or false to score with the deterministic judge only. */
  llmModel?: string | false;
}

export interface AnalysisDeps extends PipelineDeps {
  dispose(): Promise<void>;
}

export interface AnalysisDepsOptions {
  /** The process's model manager (openCore passes its one); default: one over the data folder. */
  manager?: ModelManager;
}

export async function createAnalysisDeps(
  store: Store,
  choice: AnalysisModelChoice = {},
  options: AnalysisDepsOptions = {},
): Promise<AnalysisDeps> {
  const manager =
    options.manager ?? createModelManager({ dataDir: store.dataDir, catalog: await loadCatalog() });

  let transcriber: Transcriber | undefined;
  const getTranscriber = async (): Promise<Transcriber> => {
    if (transcriber) return transcriber;
    const modelPath = choice.whisperModel ?? (await manager.resolve('transcribe'));
    if (!modelPath)
      throw new AppError('MODEL_MISSING', 'No speech-recognition model is installed', {
        hint: 'Install one with `rehearse models install whisper-base.en-q5_1`, or score a transcript instead.',
      });
    const vadModelPath = choice.vadModel ?? (await manager.resolve('vad')) ?? undefined;
    transcriber = createWhisperCliTranscriber({ modelPath, ...(vadModelPath ? { vadModelPath } : {}) });
    return transcriber;
  };

  let llmJudge: LlmJudge | null = null;
  let llmUnavailableReason: string | undefined;
  if (choice.llmModel === false) {
    llmUnavailableReason = 'language-model judging was turned off';
  } else {
    const modelPath = choice.llmModel ?? (await manager.resolve('judge'));
    if (modelPath) llmJudge = createLlmJudge({ modelPath });
    else
      llmUnavailableReason =
        'no language model is installed (`rehearse models install qwen2.5-1.5b-instruct-q4_k_m` adds one)';
  }

  return {
    store,
    transcriber: getTranscriber,
    deterministicJudge: createDeterministicJudge(),
    llmJudge,
    ...(llmUnavailableReason ? { llmUnavailableReason } : {}),
    async dispose() {
      await Promise.allSettled([transcriber?.dispose(), llmJudge?.dispose()]);
    },
  };
}
