/**
 * Cheap checks on a model file before node-llama-cpp sees it: does it exist, and does it start
 * with the GGUF magic bytes. A whisper ggml file, a half-written download or an HTML error page
 * saved as `.gguf` is reported as MODEL_INVALID instead of a native loader error.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';

/** "GGUF" in ASCII, the first four bytes of every GGUF file (little-endian magic 0x46554747). */
const GGUF_MAGIC = Buffer.from('GGUF', 'ascii');

function installHint(modelId: string | undefined): string {
  return `Install it with \`rehearse models install ${modelId ?? '<id>'}\``;
}

/** Throws MODEL_MISSING when the file is absent and MODEL_INVALID when it is not a GGUF file. */
export async function assertGgufFile(modelPath: string, modelId?: string): Promise<void> {
  const name = path.basename(modelPath);
  let handle;
  try {
    handle = await open(modelPath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError('MODEL_MISSING', `The language model ${name} is not installed (${modelPath})`, {
        hint: installHint(modelId),
        cause: error,
      });
    }
    if (code === 'EISDIR') {
      throw new AppError(
        'MODEL_INVALID',
        `The language model path ${modelPath} is a folder, not a GGUF file`,
        {
          hint: installHint(modelId),
          cause: error,
        },
      );
    }
    throw new AppError(
      'MODEL_INVALID',
      `The language model ${name} cannot be read: ${String(code ?? error)}`,
      {
        hint: 'Check the file permissions or reinstall the model',
        cause: error,
      },
    );
  }
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead < 4 || !head.equals(GGUF_MAGIC)) {
      throw new AppError('MODEL_INVALID', `${name} is not a GGUF language model (wrong magic bytes)`, {
        hint: `Reinstall it with \`rehearse models install ${modelId ?? '<id>'}\`, or pick a .gguf LLM file`,
      });
    }
  } finally {
    await handle.close();
  }
}
