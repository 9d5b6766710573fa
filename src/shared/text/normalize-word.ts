/**
 * Normalising recogniser word text for matching: whisper writes the same word as "Um,", " um",
 * "[um]", "(Um)" or "Umm"; the metrics and the question rule compare lower-case letters, digits and
 * apostrophes only.
 */

/** Lower case, curly apostrophes straightened, everything but letters, digits and apostrophes removed. */
export function normalizeWord(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, '')
    .replace(/^'+|'+$/g, '');
}
