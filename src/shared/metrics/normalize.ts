/**
 * Normalising recogniser word text for matching: whisper writes the same word as "Um,", " um",
 * "[um]", "(Um)" or "Umm"; the metrics compare lower-case letters and apostrophes only.
 */

export { normalizeWord } from '../text/normalize-word';

/**
 * The canonical filler for a normalised single word, or null when it is not a filled pause.
 * Lengthened spellings collapse: "uhh" → "uh", "ummm"/"uhm" → "um", "mmm" → "mm", "hmmm" → "hmm",
 * "ahh" → "ah", "errr" → "er", "erm" → "erm". Back-channels ("mhm", "uh-huh") are not fillers.
 */
export function canonicalFiller(norm: string): string | null {
  if (/^u+m+$/.test(norm) || /^u+h+m+$/.test(norm)) return 'um';
  if (/^u+h+$/.test(norm)) return 'uh';
  if (/^e+r+m+$/.test(norm)) return 'erm';
  if (/^e+r+$/.test(norm)) return 'er';
  if (/^a+h+$/.test(norm)) return 'ah';
  if (/^h+m+$/.test(norm)) return 'hmm';
  if (/^m{2,}$/.test(norm)) return 'mm';
  return null;
}
