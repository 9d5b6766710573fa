/**
 * Talk-to-listen ratio for two-speaker role-plays.
 *
 * FORMULA: talkRatio = partner talk seconds / talk seconds of all speakers, where a speaker's talk
 * seconds are the sum of their turn spans (first word start to last word end of each run of their
 * words). null when the transcript has fewer than two labelled speakers or no partner label.
 *
 * REFERENCE RANGE: 0.35–0.55 for discovery calls. SOURCE: Gong.io's public analysis of recorded B2B
 * sales calls (industry blog, not peer-reviewed, vendor data): the most successful discovery calls
 * had a talk-to-listen ratio of about 43:57 (partner 43 %), while average sellers talked far more.
 * The band around 0.43 is a Rehearse choice. It does not apply to pitches or presentations.
 *
 * LIMITS: overlapping speech counts for both speakers; unlabelled words are ignored.
 */
export function talkRatio(
  talkSecondsBySpeaker: ReadonlyMap<string, number>,
  partnerSpeaker: string | null,
): number | null {
  if (partnerSpeaker === null) return null;
  const labelled = [...talkSecondsBySpeaker.entries()].filter(([speaker]) => speaker !== '');
  if (labelled.length < 2) return null;
  const total = labelled.reduce((sum, [, s]) => sum + s, 0);
  if (!(total > 0)) return null;
  const partner = talkSecondsBySpeaker.get(partnerSpeaker) ?? 0;
  return Math.round((partner / total) * 1000) / 1000;
}
