/**
 * Who is signed in and which page is shown. Routes live under /workspace/ (the server falls back to
 * index.html, so a reload keeps the page): `/workspace/` the queue, `/workspace/submissions/:id` one
 * review, `/workspace/analytics` (optionally `?program=<id>`) readiness analytics; sign-in is shown whenever there is no session.
 */
import { create } from 'zustand';
import { api, setUnauthorizedListener, type User } from './api';

export const BASE = '/workspace/';

export type Route =
  | { page: 'queue' }
  | { page: 'review'; submissionId: string }
  | { page: 'analytics' }
  | { page: 'invitation' }
  | { page: 'missing' };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : '';
  if (rest === '' || rest === 'queue') return { page: 'queue' };
  if (rest === 'analytics' || rest === 'analytics/') return { page: 'analytics' };
  if (rest === 'invitation' || rest === 'invitation/') return { page: 'invitation' };
  const match = /^submissions\/([^/]+)\/?$/.exec(rest);
  if (match?.[1]) return { page: 'review', submissionId: decodeURIComponent(match[1]) };
  return { page: 'missing' };
}

export const reviewPath = (submissionId: string) => `${BASE}submissions/${encodeURIComponent(submissionId)}`;
export const ANALYTICS_PATH = `${BASE}analytics`;

interface SessionState {
  status: 'checking' | 'signed-out' | 'signed-in';
  user: User | null;
  /** Shown on the sign-in page after a session ended by itself. */
  notice: string | null;
  route: Route;
  check(): Promise<void>;
  signedIn(user: User): void;
  signOut(): Promise<void>;
  expired(): void;
  navigate(path: string): void;
  syncRoute(): void;
}

export const useSession = create<SessionState>((set, get) => ({
  status: 'checking',
  user: null,
  notice: null,
  route: parseRoute(window.location.pathname),
  async check() {
    try {
      const { user } = await api.me();
      set({ status: 'signed-in', user });
    } catch {
      set({ status: 'signed-out', user: null });
    }
  },
  signedIn(user) {
    set({ status: 'signed-in', user, notice: null });
  },
  async signOut() {
    try {
      await api.logout();
    } finally {
      set({ status: 'signed-out', user: null, notice: null });
    }
  },
  expired() {
    if (get().status === 'signed-in')
      set({ status: 'signed-out', user: null, notice: 'Your session ended. Sign in again to go on.' });
  },
  navigate(path) {
    if (path !== window.location.pathname) window.history.pushState(null, '', path);
    set({ route: parseRoute(path) });
    window.scrollTo(0, 0);
  },
  syncRoute() {
    set({ route: parseRoute(window.location.pathname) });
  },
}));

setUnauthorizedListener(() => useSession.getState().expired());
