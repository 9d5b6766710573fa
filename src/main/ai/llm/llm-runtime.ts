/**
 * A loaded GGUF language model, kept for reuse: one node-llama-cpp model, one context with one
 * sequence, and one chat session on it. Calls are serialised (one generation at a time), and the
 * chat history is reset before each call while the evaluated tokens stay in the context, so a
 * system prompt shared by consecutive calls is evaluated once (prefix reuse).
 *
 * node-llama-cpp computes on its own native threads, so awaiting a generation leaves the event loop
 * free; nothing here depends on which process it runs in (main, worker, utility process, CLI).
 * CPU only: `getLlama({ gpu: false, build: 'never' })` never downloads or compiles llama.cpp.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import {
  getLlama,
  LlamaChatSession,
  LlamaLogLevel,
  type GbnfJsonSchema,
  type Llama,
  type LlamaContext,
  type LlamaGrammar,
  type LlamaModel,
} from 'node-llama-cpp';
import { AppError, isAppError } from '../../../shared/errors';
import { createLogger } from '../../core/util/logger';
import { assertGgufFile } from './gguf-file';

const log = createLogger('llm');

export interface LoadLlmOptions {
  modelPath: string;
  /** Catalogue id of the model, used in the "install it" hint. */
  modelId?: string;
  /** Tokens of context; default min(model's training context, 4096). */
  contextSize?: number;
  /**
   * CPU threads for generation; default all cores but one (at least 1). llama.cpp's threads spin
   * while they wait for each other, so using every core while recording or transcribing runs
   * beside it slows generation many times over (30x measured on a busy 2-core machine).
   */
  threads?: number;
  /** Default 60 s. */
  loadTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface JsonCompletionRequest {
  /** System message; keep it identical across calls that share a transcript to reuse its tokens. */
  system: string;
  user: string;
  /** JSON schema the output is constrained to (node-llama-cpp GBNF subset). */
  schema: GbnfJsonSchema;
  maxTokens: number;
  signal?: AbortSignal;
}

export interface JsonCompletion {
  /** The raw text generated. */
  text: string;
  /** True when the generated text is one complete JSON value (generation stopped at its end). */
  complete: boolean;
  stopReason: string;
  /** Prompt tokens evaluated for this call (after prefix reuse) and tokens generated. */
  promptTokens: number;
  generatedTokens: number;
}

/** What a judge needs from a language model; LlmRuntime implements it, tests may fake it. */
export interface JsonLlm {
  readonly modelName: string;
  readonly contextSize: number;
  countTokens(text: string): number;
  completeJson(request: JsonCompletionRequest): Promise<JsonCompletion>;
}

export interface LlmRuntime extends JsonLlm {
  readonly modelPath: string;
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  /** Milliseconds the load took (binding + model + context). */
  readonly loadMs: number;
  /**
   * Runs `fn` with exclusive use of the runtime's chat session (history reset to `systemPrompt`).
   * For ad-hoc prompts; completeJson uses the same queue.
   */
  withSession<T>(systemPrompt: string, fn: (session: LlamaChatSession) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

let llamaPromise: Promise<Llama> | undefined;

/** The process-wide llama.cpp binding (loading it costs ~1 s, so it is loaded once). */
export function getLlamaBinding(): Promise<Llama> {
  if (!llamaPromise) {
    process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= 'true';
    llamaPromise = getLlama({
      gpu: false,
      build: 'never',
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        const text = message.trim();
        if (!text) return;
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) log.error(text);
        else if (level === LlamaLogLevel.warn) log.warn(text);
        else log.debug(text);
      },
    }).catch((error: unknown) => {
      llamaPromise = undefined;
      throw new AppError('INTERNAL', `The llama.cpp binding could not be loaded: ${errorMessage(error)}`, {
        hint: 'Reinstall Rehearse; the node-llama-cpp prebuilt binary for this platform is missing',
        cause: error,
      });
    });
  }
  return llamaPromise;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function abortError(signal: AbortSignal, what: string): AppError {
  const reason: unknown = signal.reason;
  if (isAppError(reason)) return reason;
  return new AppError('CANCELLED', `${what} was cancelled`, { cause: reason });
}

/** Loads a GGUF model, ready for generation. Throws MODEL_MISSING, MODEL_INVALID, TIMEOUT or CANCELLED. */
export async function loadLlm(options: LoadLlmOptions): Promise<LlmRuntime> {
  const { modelPath, signal } = options;
  const loadTimeoutMs = options.loadTimeoutMs ?? 60_000;
  const started = performance.now();
  if (signal?.aborted) throw abortError(signal, 'Loading the language model');
  await assertGgufFile(modelPath, options.modelId);

  const name = path.basename(modelPath);
  const loadAbort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    loadAbort.abort(
      new AppError('TIMEOUT', `Loading the language model ${name} took longer than ${loadTimeoutMs} ms`, {
        hint: 'Close other applications or choose a smaller model',
      }),
    );
  }, loadTimeoutMs);
  const onAbort = () => loadAbort.abort(abortError(signal!, 'Loading the language model'));
  signal?.addEventListener('abort', onAbort, { once: true });

  // Whatever finishes loading after a timeout or cancel is disposed, not leaked.
  let model: LlamaModel | undefined;
  let context: LlamaContext | undefined;
  const work = (async () => {
    const llama = await getLlamaBinding();
    if (loadAbort.signal.aborted) throw loadAbort.signal.reason;
    try {
      model = await llama.loadModel({ modelPath, loadSignal: loadAbort.signal });
    } catch (error) {
      if (loadAbort.signal.aborted) throw loadAbort.signal.reason;
      throw classifyLoadError(error, name, options.modelId);
    }
    if (loadAbort.signal.aborted) throw loadAbort.signal.reason;
    const contextSize = Math.max(256, Math.min(options.contextSize ?? 4096, model.trainContextSize || 4096));
    try {
      context = await model.createContext({
        contextSize,
        sequences: 1,
        threads: options.threads ?? Math.max(1, availableParallelism() - 1),
        createSignal: loadAbort.signal,
      });
    } catch (error) {
      if (loadAbort.signal.aborted) throw loadAbort.signal.reason;
      throw classifyLoadError(error, name, options.modelId);
    }
    return { llama, model, context };
  })();

  const aborted = new Promise<never>((_, reject) => {
    if (loadAbort.signal.aborted) reject(loadAbort.signal.reason);
    loadAbort.signal.addEventListener('abort', () => reject(loadAbort.signal.reason), { once: true });
  });
  try {
    const loaded = await Promise.race([work, aborted]);
    const loadMs = performance.now() - started;
    log.info('language model loaded', {
      model: name,
      loadMs: Math.round(loadMs),
      contextSize: loaded.context.contextSize,
    });
    return createRuntime({ ...loaded, modelPath, loadMs });
  } catch (error) {
    void work.then(
      () => Promise.all([context?.dispose(), model?.dispose()]),
      () => Promise.all([context?.dispose(), model?.dispose()]),
    );
    if (timedOut || loadAbort.signal.aborted) throw loadAbort.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function classifyLoadError(error: unknown, name: string, modelId: string | undefined): AppError {
  if (isAppError(error)) return error;
  const message = errorMessage(error);
  if (/insufficient|out of memory|memory/i.test(message)) {
    return new AppError('INTERNAL', `Not enough memory to load the language model ${name}`, {
      hint: 'Close other applications or choose a smaller model',
      cause: error,
    });
  }
  return new AppError('MODEL_INVALID', `The language model ${name} is damaged or not supported: ${message}`, {
    hint: `Reinstall it with \`rehearse models install ${modelId ?? '<id>'}\``,
    cause: error,
  });
}

function modelDisplayName(model: LlamaModel, modelPath: string): string {
  const fromFile = path.basename(modelPath).replace(/\.gguf$/i, '');
  return fromFile || model.fileInfo.metadata.general?.name || 'unknown model';
}

/** Index just past the end of the first complete top-level JSON value in `text`, or -1. */
export function jsonValueEnd(text: string): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      depth++;
      started = true;
    } else if (c === '}' || c === ']') {
      depth--;
      if (started && depth === 0) return i + 1;
    }
  }
  return -1;
}

function createRuntime(parts: {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  modelPath: string;
  loadMs: number;
}): LlmRuntime {
  const { llama, model, context, modelPath, loadMs } = parts;
  const sequence = context.getSequence();
  const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  const grammarFor = (schema: GbnfJsonSchema): Promise<LlamaGrammar> => {
    const key = JSON.stringify(schema);
    let grammar = grammars.get(key);
    if (!grammar) {
      grammar = llama.createGrammarForJsonSchema(
        schema as Parameters<Llama['createGrammarForJsonSchema']>[0],
      );
      grammars.set(key, grammar);
      grammar.catch(() => grammars.delete(key));
    }
    return grammar;
  };

  const exclusive = <T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    const run = queue.then(async () => {
      if (disposed) throw new AppError('INTERNAL', 'The language model was already unloaded');
      if (signal?.aborted) throw abortError(signal, 'The generation');
      return fn();
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const withSession = <T>(
    systemPrompt: string,
    fn: (s: LlamaChatSession) => Promise<T>,
    signal?: AbortSignal,
  ) =>
    exclusive(() => {
      session.setChatHistory([{ type: 'system', text: systemPrompt }]);
      return fn(session);
    }, signal);

  const completeJson = async (request: JsonCompletionRequest): Promise<JsonCompletion> => {
    const grammar = await grammarFor(request.schema);
    return withSession(
      request.system,
      async (s) => {
        // Stop as soon as the JSON value closes: the grammar still allows trailing whitespace,
        // which a weak model can fill up to maxTokens.
        const stopAtEnd = new AbortController();
        const signal = request.signal
          ? AbortSignal.any([request.signal, stopAtEnd.signal])
          : stopAtEnd.signal;
        let text = '';
        const before = sequence.tokenMeter.getState();
        try {
          const result = await s.promptWithMeta(request.user, {
            grammar,
            maxTokens: request.maxTokens,
            temperature: 0,
            signal,
            stopOnAbortSignal: true,
            onTextChunk: (chunk) => {
              text += chunk;
              if (chunk.includes('}') && jsonValueEnd(text) >= 0) stopAtEnd.abort();
            },
          });
          if (request.signal?.aborted) throw abortError(request.signal, 'The generation');
          const after = sequence.tokenMeter.getState();
          const full = result.responseText;
          const end = jsonValueEnd(full);
          return {
            text: end >= 0 ? full.slice(0, end) : full,
            complete: end >= 0,
            stopReason: stopAtEnd.signal.aborted ? 'jsonEnd' : result.stopReason,
            promptTokens: after.usedInputTokens - before.usedInputTokens,
            generatedTokens: after.usedOutputTokens - before.usedOutputTokens,
          };
        } catch (error) {
          if (request.signal?.aborted) throw abortError(request.signal, 'The generation');
          if (isAppError(error)) throw error;
          throw new AppError(
            'INTERNAL',
            `The language model failed while generating: ${errorMessage(error)}`,
            {
              cause: error,
            },
          );
        }
      },
      request.signal,
    );
  };

  return {
    modelPath,
    modelName: modelDisplayName(model, modelPath),
    llama,
    model,
    context,
    loadMs,
    contextSize: context.contextSize,
    countTokens: (text) => model.tokenize(text).length,
    completeJson,
    withSession: (systemPrompt, fn) => withSession(systemPrompt, fn),
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await queue;
      session.dispose({ disposeSequence: true });
      await context.dispose();
      await model.dispose();
    },
  };
}
