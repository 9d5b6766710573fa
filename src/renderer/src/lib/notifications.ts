/** Visible notifications: every failed call and every notable event ends up here. */
import { create } from 'zustand';
import { formatErrorLine, isAppError } from '../../../shared/errors';

export interface Notice {
  id: number;
  kind: 'error' | 'info' | 'success';
  text: string;
}

interface NoticeState {
  notices: Notice[];
  push(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

export const useNotices = create<NoticeState>((set) => ({
  notices: [],
  push(kind, text) {
    const id = nextId++;
    set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text }] }));
    // Errors stay until dismissed; the rest fade after a while.
    if (kind !== 'error') setTimeout(() => useNotices.getState().dismiss(id), 6000);
  },
  dismiss(id) {
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
}));

/** One line for any thrown value: the message, then what to do. */
export function errorText(error: unknown): string {
  if (isAppError(error))
    return formatErrorLine({
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
    });
  return error instanceof Error ? error.message : String(error);
}

export const notifyError = (error: unknown) => useNotices.getState().push('error', errorText(error));
export const notify = (text: string, kind: Notice['kind'] = 'info') => useNotices.getState().push(kind, text);
