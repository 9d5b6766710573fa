/**
 * One review's state: the submission as loaded, the coach's draft scores (unsaved until "Save
 * scores"), the player's current time, and the pending calls. Nothing here reaches the partner
 * before publish: the server keeps scores and comments to itself until POST …/publish.
 */
import { create } from 'zustand';
import {
  api,
  errorMessage,
  type CoachComment,
  type CoachCriterion,
  type Decision,
  type ReviewDetail,
} from '../../lib/api';

export interface DraftCriterion {
  coachScore: number | null;
  note: string;
}

interface ReviewState {
  submissionId: string | null;
  detail: ReviewDetail | null;
  loading: boolean;
  loadError: string | null;
  currentTime: number;
  draft: Record<string, DraftCriterion>;
  /** 0–100 as typed; '' = none. */
  overall: string;
  dirty: boolean;
  saving: boolean;
  saveError: string | null;
  savedAt: number | null;
  decision: Decision | null;
  publishing: boolean;
  publishError: string | null;
  commentBusy: boolean;
  commentError: string | null;
  /** Set by the player once mounted. */
  seek: (seconds: number) => void;
  load(id: string): Promise<void>;
  setTime(seconds: number): void;
  setScore(criterionId: string, coachScore: number | null): void;
  setNote(criterionId: string, note: string): void;
  setOverall(value: string): void;
  setDecision(decision: Decision): void;
  save(): Promise<boolean>;
  addComment(at: number | null, text: string): Promise<boolean>;
  publish(): Promise<boolean>;
}

const published = (d: ReviewDetail | null) => d?.submission.status === 'published';

function draftFrom(detail: ReviewDetail): Record<string, DraftCriterion> {
  const saved = new Map((detail.review?.criteria ?? []).map((c) => [c.criterionId, c]));
  return Object.fromEntries(
    detail.manifest.ai.criteria.map((ai) => {
      const mine = saved.get(ai.criterionId);
      return [ai.criterionId, { coachScore: mine?.coachScore ?? null, note: mine?.note ?? '' }];
    }),
  );
}

export function overallOf(text: string): number | null | 'invalid' {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : 'invalid';
}

export const useReview = create<ReviewState>((set, get) => ({
  submissionId: null,
  detail: null,
  loading: false,
  loadError: null,
  currentTime: 0,
  draft: {},
  overall: '',
  dirty: false,
  saving: false,
  saveError: null,
  savedAt: null,
  decision: null,
  publishing: false,
  publishError: null,
  commentBusy: false,
  commentError: null,
  seek: () => {},

  async load(id) {
    set({
      submissionId: id,
      detail: null,
      loading: true,
      loadError: null,
      currentTime: 0,
      draft: {},
      overall: '',
      dirty: false,
      saveError: null,
      savedAt: null,
      decision: null,
      publishError: null,
      commentError: null,
    });
    try {
      const detail = await api.review(id);
      if (get().submissionId !== id) return;
      set({
        detail,
        loading: false,
        draft: draftFrom(detail),
        overall: detail.review?.overallScore == null ? '' : String(detail.review.overallScore),
        decision: detail.review?.decision ?? null,
      });
    } catch (error) {
      if (get().submissionId === id) set({ loading: false, loadError: errorMessage(error) });
    }
  },
  setTime: (seconds) => set({ currentTime: seconds }),
  setScore: (criterionId, coachScore) =>
    set((s) => ({
      draft: { ...s.draft, [criterionId]: { ...(s.draft[criterionId] ?? { note: '' }), coachScore } },
      dirty: true,
    })),
  setNote: (criterionId, note) =>
    set((s) => ({
      draft: { ...s.draft, [criterionId]: { ...(s.draft[criterionId] ?? { coachScore: null }), note } },
      dirty: true,
    })),
  setOverall: (overall) => set({ overall, dirty: true }),
  setDecision: (decision) => set({ decision }),

  async save() {
    const { detail, draft, overall } = get();
    if (!detail || published(detail)) return false;
    const overallScore = overallOf(overall);
    if (overallScore === 'invalid') {
      set({ saveError: 'The overall score must be a number from 0 to 100, or empty.' });
      return false;
    }
    const criteria: CoachCriterion[] = detail.manifest.ai.criteria.map((ai) => {
      const d = draft[ai.criterionId];
      const note = d?.note.trim() ?? '';
      return {
        criterionId: ai.criterionId,
        coachScore: d?.coachScore ?? null,
        note: note === '' ? null : note,
      };
    });
    set({ saving: true, saveError: null });
    try {
      const updated = await api.saveScores(detail.submission.id, criteria, overallScore);
      set({ detail: updated, saving: false, dirty: false, savedAt: Date.now() });
      return true;
    } catch (error) {
      set({ saving: false, saveError: errorMessage(error) });
      return false;
    }
  },

  async addComment(at, text) {
    const { detail } = get();
    if (!detail) return false;
    set({ commentBusy: true, commentError: null });
    try {
      const comment: CoachComment = await api.comment(detail.submission.id, at, text);
      set((s) => ({
        commentBusy: false,
        detail: s.detail ? { ...s.detail, comments: [...s.detail.comments, comment] } : s.detail,
      }));
      return true;
    } catch (error) {
      set({ commentBusy: false, commentError: errorMessage(error) });
      return false;
    }
  },

  async publish() {
    const { detail, decision, dirty, save } = get();
    if (!detail || !decision) return false;
    set({ publishing: true, publishError: null });
    // Unsaved scores go first: publishing needs saved scores, and publishes what the coach sees.
    if ((dirty || !detail.review) && !(await save())) {
      set({
        publishing: false,
        publishError: `Scores could not be saved: ${get().saveError ?? 'unknown error'}`,
      });
      return false;
    }
    try {
      const updated = await api.publish(detail.submission.id, decision);
      set({ detail: updated, publishing: false });
      return true;
    } catch (error) {
      set({ publishing: false, publishError: errorMessage(error) });
      return false;
    }
  },
}));

export const isPublished = published;
