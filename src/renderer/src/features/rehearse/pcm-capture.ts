/**
 * The analysis audio track: the microphone resampled by the browser to 16 kHz mono and converted to
 * signed 16-bit PCM (what whisper.cpp reads), delivered in ~1 s blocks. Also feeds the level meter.
 */
export const PCM_SAMPLE_RATE = 16_000;
export const PCM_MIME = 'audio/L16;rate=16000;channels=1';

export interface PcmCapture {
  /** Peak level 0..1 of the latest block (for the meter). */
  level(): number;
  /** Starts handing PCM blocks to `onBlock`; stop() flushes the rest. */
  start(onBlock: (pcm: Uint8Array) => void): void;
  stop(): void;
  close(): Promise<void>;
}

/** Float samples in -1..1 to little-endian signed 16-bit PCM. */
export function floatToPcm16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    view.setInt16(i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return out;
}

export function createPcmCapture(stream: MediaStream): PcmCapture {
  const context = new AudioContext({ sampleRate: PCM_SAMPLE_RATE });
  const source = context.createMediaStreamSource(stream);
  // ScriptProcessorNode is deprecated but runs everywhere without loading a worklet module (the
  // CSP allows only our own scripts); 4096 frames at 16 kHz is a block every 256 ms.
  const processor = context.createScriptProcessor(4096, 1, 1);
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  source.connect(processor);
  processor.connect(context.destination);

  let sink: ((pcm: Uint8Array) => void) | null = null;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (!sink || pendingBytes === 0) return;
    const block = new Uint8Array(pendingBytes);
    let at = 0;
    for (const p of pending) {
      block.set(p, at);
      at += p.byteLength;
    }
    pending = [];
    pendingBytes = 0;
    sink(block);
  };
  processor.onaudioprocess = (event) => {
    if (!sink) return;
    const pcm = floatToPcm16(event.inputBuffer.getChannelData(0));
    pending.push(pcm);
    pendingBytes += pcm.byteLength;
    if (pendingBytes >= PCM_SAMPLE_RATE * 2) flush(); // about one second
  };
  const buffer = new Float32Array(analyser.fftSize);

  return {
    level() {
      analyser.getFloatTimeDomainData(buffer);
      let peak = 0;
      for (const v of buffer) peak = Math.max(peak, Math.abs(v));
      return peak;
    },
    start(onBlock) {
      void context.resume();
      sink = onBlock;
    },
    stop() {
      flush();
      sink = null;
    },
    async close() {
      sink = null;
      processor.disconnect();
      source.disconnect();
      await context.close().catch(() => undefined);
    },
  };
}
