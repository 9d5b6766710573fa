/**
 * The feedback review screen's state: one attempt's review from `attempt.review`, the transcript
 * prepared for the player, and the playback position. Kept fresh by the core's events.
 */
import { create } from 'zustand';
import type { AttemptReview } from '../../../../shared/api/types';
import { call, on } from '../../lib/api';
import { errorText, notify, notifyError } from '../../lib/notifications';
import { flattenTranscript, type FlatTranscript } from './playback';

type Status = 'idle' | 'loading' | 'ready' | 'error' | 'deleted';

interface ReviewState {
  attemptId: string | null;
  status: Status;
  review: AttemptReview | null;
  transcript: FlatTranscript;
  error: string | null;
  /** Seconds, as last reported by the player (or set by a seek when there is no player). */
  currentTime: number;
  /** The media's own length once its metadata has loaded. */
  mediaDuration: number | null;
  busy: 'analysing' | 'deleting' | null;
  open(attemptId: string): Promise<void>;
  reload(): Promise<void>;
  setCurrentTime(seconds: number): void;
  setMediaDuration(seconds: number | null): void;
  /** Starts (or resumes) the analysis; true when it started. */
  analyse(): Promise<boolean>;
  /** Deletes the attempt and its recordings; true when deleted. */
  remove(): Promise<boolean>;
}

const EMPTY_TRANSCRIPT: FlatTranscript = { words: [], lines: [] };

/** Incremented per load so a slow answer for a previous attempt never overwrites the current one. */
let loadSeq = 0;

export const useReview = create<ReviewState>((set, get) => ({
  attemptId: null,
  status: 'idle',
  review: null,
  transcript: EMPTY_TRANSCRIPT,
  error: null,
  currentTime: 0,
  mediaDuration: null,
  busy: null,

  async open(attemptId) {
    set({
      attemptId,
      status: 'loading',
      review: null,
      transcript: EMPTY_TRANSCRIPT,
      error: null,
      currentTime: 0,
      mediaDuration: null,
      busy: null,
    });
    await get().reload();
  },

  async reload() {
    const { attemptId } = get();
    if (!attemptId) return;
    const seq = ++loadSeq;
    try {
      const review = await call('attempt.review', { attemptId });
      if (seq !== loadSeq || get().attemptId !== attemptId) return;
      set({ status: 'ready', review, transcript: flattenTranscript(review.transcript), error: null });
    } catch (error) {
      if (seq !== loadSeq || get().attemptId !== attemptId) return;
      notifyError(error);
      // Keep showing what was loaded before if a refresh fails.
      if (get().review) return;
      set({ status: 'error', error: errorText(error) });
    }
  },

  setCurrentTime(seconds) {
    if (seconds !== get().currentTime) set({ currentTime: seconds });
  },

  setMediaDuration(seconds) {
    set({ mediaDuration: seconds !== null && Number.isFinite(seconds) && seconds > 0 ? seconds : null });
  },

  async analyse() {
    const { attemptId, busy } = get();
    if (!attemptId || busy) return false;
    set({ busy: 'analysing' });
    try {
      await call('analysis.start', { attemptId });
      return true;
    } catch (error) {
      notifyError(error);
      return false;
    } finally {
      if (get().attemptId === attemptId) set({ busy: null });
    }
  },

  async remove() {
    const { attemptId, busy } = get();
    if (!attemptId || busy) return false;
    set({ busy: 'deleting' });
    try {
      const { deleted } = await call('attempt.delete', { attemptId });
      if (get().attemptId === attemptId)
        set({ busy: null, ...(deleted ? { status: 'deleted' as const } : {}) });
      if (deleted) notify('Attempt deleted.', 'success');
      else notify('That attempt was already gone.');
      return true;
    } catch (error) {
      notifyError(error);
      if (get().attemptId === attemptId) set({ busy: null });
      return false;
    }
  },
}));

/** Follows the core's events for the open attempt; returns the unsubscribe function. */
export function followReviewEvents(): () => void {
  const isOpen = (attemptId: string) => useReview.getState().attemptId === attemptId;
  const offs = [
    on('analysis.finished', (e) => {
      if (isOpen(e.attemptId)) void useReview.getState().reload();
    }),
    on('attempt.changed', (e) => {
      if (isOpen(e.attemptId) && useReview.getState().status !== 'deleted')
        void useReview.getState().reload();
    }),
    on('attempt.deleted', (e) => {
      if (isOpen(e.attemptId)) useReview.setState({ status: 'deleted', busy: null });
    }),
  ];
  return () => offs.forEach((off) => off());
}
