/**
 * LLM judge benchmark: load time, prefill and generation speed, time per criterion and peak RSS,
 * for each GGUF found:
 *   - the tiny random fixture (../shared/fixtures/models/tiny-random-llama-chatml.gguf);
 *   - a random GGUF with the SHAPE of SmolLM2-135M (Q8_0, 144 MB), written to .cache/ by the small
 *     GGUF writer below (no Python needed; real compute cost, meaningless output);
 *   - every *.gguf in REHEARSE_MODELS_DIR (real models on a user's or developer's machine).
 * Each model runs in a child process so its peak RSS is its own.
 *
 *   node bin/run-ts.js bench/llm-judge.ts [--threads N] [--no-shaped]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLlmJudge } from '../src/main/ai/judges/llm/llm-judge';
import { loadLlm } from '../src/main/ai/llm/llm-runtime';
import type { DeliveryMetrics } from '../src/shared/metrics/delivery-metrics-types';
import { transcriptSchema } from '../src/shared/transcript/transcript';
import { scenario } from '../tests/unit/main/ai/judges/llm/llm-judge-fixtures';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const threadsArg = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : undefined;

interface Figures {
  model: string;
  fileMB: number;
  threads: number | 'default';
  contextSize: number;
  loadMs: number;
  prefillTokens: number;
  prefillTokPerS: number;
  generatedTokens: number;
  generateTokPerS: number;
  criteria: number;
  msPerCriterion: number;
  voided: number;
  voidReasons: string;
  peakRssMB: number;
}

/** A ~22 s pitch transcript (the espeak fixture's text) with evenly spaced word times. */
function benchTranscript() {
  const file = path.resolve(repoRoot, '../shared/fixtures/audio/espeak-sales-pitch.txt');
  const text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : 'Hi, I am Sam. Our backup restores in minutes, not days. Could we book a demo next Tuesday?';
  let t = 0.3;
  const segments = text
    .split(/(?<=[.?!])\s+/)
    .filter(Boolean)
    .map((sentence) => {
      const words = sentence.split(/\s+/).map((w) => {
        const word = { text: w, start: t, end: t + 0.3 };
        t += 0.38;
        return word;
      });
      t += 0.4;
      return { start: words[0]!.start, end: words.at(-1)!.end, text: sentence, words };
    });
  return transcriptSchema.parse({ durationSeconds: t, segments, source: 'bench' });
}

async function measureOne(modelPath: string): Promise<Figures> {
  const runtime = await loadLlm({ modelPath, ...(threadsArg ? { threads: threadsArg } : {}) });
  const tiny = runtime.contextSize <= 1024;
  const filler = 'The customer asked about pricing, onboarding, security reviews and the timeline. ';
  const prefillText = filler.repeat(
    Math.floor((runtime.contextSize * 0.6) / Math.max(1, runtime.countTokens(filler))),
  );

  // Prefill: a long prompt, one token out.
  const prefill = await runtime.withSession('You are a helpful assistant.', async (session) => {
    const before = session.sequence.tokenMeter.getState().usedInputTokens;
    const started = performance.now();
    await session.prompt(prefillText, { maxTokens: 1, temperature: 0 });
    return {
      tokens: session.sequence.tokenMeter.getState().usedInputTokens - before,
      ms: performance.now() - started,
    };
  });
  // Generation: tokens after the first, from chunk timestamps (JSON grammar keeps EOG away).
  const grammar = await runtime.llama.createGrammarForJsonSchema({
    type: 'object',
    properties: { text: { type: 'string' } },
    required: ['text'],
  });
  const generation = await runtime.withSession('You write.', async (session) => {
    let first = 0;
    let last = 0;
    const before = session.sequence.tokenMeter.getState().usedOutputTokens;
    await session.prompt('Write.', {
      grammar,
      maxTokens: 64,
      temperature: 0,
      onToken: () => {
        last = performance.now();
        if (!first) first = last;
      },
    });
    return { tokens: session.sequence.tokenMeter.getState().usedOutputTokens - before, ms: last - first };
  });

  const judge = createLlmJudge({
    runtime,
    ...(tiny ? { maxTokensPerCriterion: 96, maxQuoteChars: 16, maxRationaleChars: 16 } : {}),
    timeoutMs: 600_000,
  });
  const started = performance.now();
  const judgment = await judge.judge({
    scenario,
    transcript: benchTranscript(),
    metrics: {} as DeliveryMetrics,
  });
  const judgeMs = performance.now() - started;
  const figures: Figures = {
    model: runtime.modelName,
    fileMB: Math.round(statSync(modelPath).size / 1e5) / 10,
    threads: threadsArg ?? 'default',
    contextSize: runtime.contextSize,
    loadMs: Math.round(runtime.loadMs),
    prefillTokens: prefill.tokens,
    prefillTokPerS: Math.round(prefill.tokens / (prefill.ms / 1000)),
    generatedTokens: generation.tokens,
    generateTokPerS: Math.round((Math.max(1, generation.tokens - 1) / (generation.ms / 1000)) * 10) / 10,
    criteria: judgment.verdicts.length,
    msPerCriterion: Math.round(judgeMs / judgment.verdicts.length),
    voided: judgment.verdicts.filter((v) => v.voided).length,
    voidReasons: [...new Set(judgment.verdicts.map((v) => v.voided).filter(Boolean))].join('; '),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  await runtime.dispose();
  return figures;
}

// ---- A minimal GGUF writer for random weights with a real model's shape (Q8_0 matrices). ----

const GGUF_TYPE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;

class GgufBuffer {
  private parts: Buffer[] = [];
  u32(v: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.parts.push(b);
  }
  u64(v: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.parts.push(b);
  }
  str(s: string) {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.parts.push(bytes);
  }
  raw(b: Buffer) {
    this.parts.push(b);
  }
  kv(key: string, type: keyof typeof GGUF_TYPE, value: number | string | boolean) {
    this.str(key);
    this.u32(GGUF_TYPE[type]);
    if (type === 'string') this.str(value as string);
    else if (type === 'bool') this.raw(Buffer.from([value ? 1 : 0]));
    else if (type === 'f32') {
      const b = Buffer.alloc(4);
      b.writeFloatLE(value as number);
      this.raw(b);
    } else if (type === 'i32') {
      const b = Buffer.alloc(4);
      b.writeInt32LE(value as number);
      this.raw(b);
    } else this.u32(value as number);
  }
  array(key: string, type: 'string' | 'f32' | 'i32', values: Array<string | number>) {
    this.str(key);
    this.u32(GGUF_TYPE.array);
    this.u32(GGUF_TYPE[type]);
    this.u64(values.length);
    for (const v of values) {
      if (type === 'string') this.str(v as string);
      else {
        const b = Buffer.alloc(4);
        if (type === 'f32') b.writeFloatLE(v as number);
        else b.writeInt32LE(v as number);
        this.raw(b);
      }
    }
  }
  toBuffer() {
    return Buffer.concat(this.parts);
  }
}

/** Writes a llama-architecture GGUF with random Q8_0 weights: same tensor shapes as the real model. */
function writeShapedRandomGguf(
  out: string,
  shape: { vocab: number; embd: number; ff: number; layers: number; heads: number; kv: number; name: string },
) {
  const { vocab, embd, ff, layers, heads, kv } = shape;
  const hd = embd / heads;
  const tokens = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>'];
  const types = [2, 3, 3, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  tokens.push('\u2581');
  types.push(1);
  for (let c = 33; c < 127; c++) tokens.push(String.fromCharCode(c), `\u2581${String.fromCharCode(c)}`);
  while (types.length < tokens.length) types.push(1);
  while (tokens.length < vocab) {
    tokens.push(`tok${tokens.length}`);
    types.push(1);
  }
  // name, ggml dims (ne0 first), type (0 = F32, 8 = Q8_0)
  const tensors: Array<[string, number[], 0 | 8]> = [
    ['token_embd.weight', [embd, vocab], 8],
    ['output_norm.weight', [embd], 0],
  ];
  for (let i = 0; i < layers; i++) {
    const p = `blk.${i}.`;
    tensors.push(
      [`${p}attn_norm.weight`, [embd], 0],
      [`${p}ffn_norm.weight`, [embd], 0],
      [`${p}attn_q.weight`, [embd, embd], 8],
      [`${p}attn_k.weight`, [embd, kv * hd], 8],
      [`${p}attn_v.weight`, [embd, kv * hd], 8],
      [`${p}attn_output.weight`, [embd, embd], 8],
      [`${p}ffn_gate.weight`, [embd, ff], 8],
      [`${p}ffn_up.weight`, [embd, ff], 8],
      [`${p}ffn_down.weight`, [ff, embd], 8],
    );
  }
  const bytesOf = ([, dims, type]: [string, number[], 0 | 8]) => {
    const n = dims.reduce((a, b) => a * b, 1);
    return type === 0 ? n * 4 : (n / 32) * 34;
  };
  const align = (n: number) => Math.ceil(n / 32) * 32;

  const h = new GgufBuffer();
  h.raw(Buffer.from('GGUF', 'ascii'));
  h.u32(3);
  h.u64(tensors.length);
  h.u64(21);
  h.kv('general.architecture', 'string', 'llama');
  h.kv('general.name', 'string', shape.name);
  h.kv('llama.context_length', 'u32', 8192);
  h.kv('llama.embedding_length', 'u32', embd);
  h.kv('llama.block_count', 'u32', layers);
  h.kv('llama.feed_forward_length', 'u32', ff);
  h.kv('llama.attention.head_count', 'u32', heads);
  h.kv('llama.attention.head_count_kv', 'u32', kv);
  h.kv('llama.rope.dimension_count', 'u32', hd);
  h.kv('llama.attention.layer_norm_rms_epsilon', 'f32', 1e-5);
  h.kv('llama.vocab_size', 'u32', vocab);
  h.kv('tokenizer.ggml.model', 'string', 'llama');
  h.array('tokenizer.ggml.tokens', 'string', tokens);
  h.array(
    'tokenizer.ggml.scores',
    'f32',
    tokens.map(() => 0),
  );
  h.array('tokenizer.ggml.token_type', 'i32', types);
  h.kv('tokenizer.ggml.bos_token_id', 'u32', 1);
  h.kv('tokenizer.ggml.eos_token_id', 'u32', 4);
  h.kv('tokenizer.ggml.unknown_token_id', 'u32', 0);
  h.kv('tokenizer.ggml.add_bos_token', 'bool', false);
  h.kv(
    'tokenizer.chat_template',
    'string',
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
  );
  h.kv('general.alignment', 'u32', 32);
  let offset = 0;
  for (const t of tensors) {
    h.str(t[0]);
    h.u32(t[1].length);
    for (const d of t[1]) h.u64(d);
    h.u32(t[2]);
    h.u64(offset);
    offset = align(offset + bytesOf(t));
  }
  const header = h.toBuffer();
  const fd = openSync(out, 'w');
  try {
    writeSync(fd, header);
    writeSync(fd, Buffer.alloc(align(header.length) - header.length));
    const scale = Buffer.alloc(2);
    scale.writeUInt16LE(0x0c00); // f16 2^-12 ≈ 0.00024: int8 noise × scale ≈ N(0, 0.02)
    for (const t of tensors) {
      const size = bytesOf(t);
      let data: Buffer;
      if (t[2] === 0) {
        data = Buffer.alloc(size);
        for (let i = 0; i < size; i += 4) data.writeFloatLE(1, i);
      } else {
        data = randomBytes(size);
        for (let i = 0; i < size; i += 34) scale.copy(data, i);
      }
      writeSync(fd, data);
      writeSync(fd, Buffer.alloc(align(size) - size));
    }
  } finally {
    closeSync(fd);
  }
}

function shapedModel(): string | undefined {
  if (args.includes('--no-shaped')) return undefined;
  const out = path.join(repoRoot, '.cache', 'bench-models', 'random-smollm2-135m-shape-q8_0.gguf');
  if (!existsSync(out)) {
    mkdirSync(path.dirname(out), { recursive: true });
    console.log(`writing ${path.relative(repoRoot, out)} (random weights, SmolLM2-135M shape)…`);
    writeShapedRandomGguf(out, {
      vocab: 49152,
      embd: 576,
      ff: 1536,
      layers: 30,
      heads: 9,
      kv: 3,
      name: 'random-smollm2-135m-shape (benchmark fixture, random weights)',
    });
  }
  return out;
}

function modelsToMeasure(): string[] {
  const list: string[] = [];
  const tiny = path.resolve(repoRoot, '../shared/fixtures/models/tiny-random-llama-chatml.gguf');
  if (existsSync(tiny)) list.push(tiny);
  else console.log('skip: ../shared/fixtures/models/tiny-random-llama-chatml.gguf is absent');
  const shaped = shapedModel();
  if (shaped) list.push(shaped);
  const dir = process.env.REHEARSE_MODELS_DIR;
  if (dir && existsSync(dir)) {
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
      if (f.endsWith('.gguf')) list.push(path.join(dir, f));
  } else console.log('REHEARSE_MODELS_DIR not set or absent: no real models measured');
  return list;
}

if (args[0] === '--one' && args[1]) {
  process.stdout.write(`${JSON.stringify(await measureOne(args[1]))}\n`);
} else {
  const rows: Figures[] = [];
  for (const model of modelsToMeasure()) {
    try {
      const out = execFileSync(
        process.execPath,
        [
          path.join(repoRoot, 'bin/run-ts.js'),
          fileURLToPath(import.meta.url),
          '--one',
          model,
          ...args.filter((a) => a !== '--no-shaped'),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
      );
      const line = out.trim().split('\n').at(-1)!;
      rows.push(JSON.parse(line) as Figures);
      console.log(line);
    } catch (error) {
      console.log(`failed on ${model}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.table(rows);
}
