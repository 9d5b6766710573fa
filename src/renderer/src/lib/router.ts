/**
 * Which screen is showing, kept in the address hash (`#/review/<attemptId>`) so a reload returns to
 * the same place and the browser's back button works.
 */
import { create } from 'zustand';

export type Route =
  | { name: 'library' }
  | { name: 'rehearse'; programId: string; scenarioId: string }
  | { name: 'analysis'; attemptId: string }
  | { name: 'review'; attemptId: string }
  | { name: 'progress'; programId?: string; scenarioId?: string; compare?: [string, string] }
  | { name: 'settings' };

export function routeToHash(route: Route): string {
  switch (route.name) {
    case 'library':
    case 'settings':
      return `#/${route.name}`;
    case 'rehearse':
      return `#/rehearse/${encodeURIComponent(route.programId)}/${encodeURIComponent(route.scenarioId)}`;
    case 'analysis':
    case 'review':
      return `#/${route.name}/${encodeURIComponent(route.attemptId)}`;
    case 'progress': {
      const parts = ['#/progress'];
      if (route.programId && route.scenarioId)
        parts.push(encodeURIComponent(route.programId), encodeURIComponent(route.scenarioId));
      const query = route.compare ? `?compare=${route.compare.map(encodeURIComponent).join(',')}` : '';
      return parts.join('/') + query;
    }
  }
}

export function hashToRoute(hash: string): Route {
  const [pathPart = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [name, ...rest] = pathPart.split('/').map(decodeURIComponent);
  const a = rest[0];
  const b = rest[1];
  switch (name) {
    case 'rehearse':
      if (a && b) return { name, programId: a, scenarioId: b };
      break;
    case 'analysis':
    case 'review':
      if (a) return { name, attemptId: a };
      break;
    case 'progress': {
      const compare = new URLSearchParams(query).get('compare')?.split(',');
      return {
        name,
        ...(a && b ? { programId: a, scenarioId: b } : {}),
        ...(compare?.length === 2 && compare[0] && compare[1] ? { compare: [compare[0], compare[1]] } : {}),
      };
    }
    case 'settings':
      return { name };
  }
  return { name: 'library' };
}

interface RouterState {
  route: Route;
  navigate(route: Route, options?: { replace?: boolean }): void;
}

export const useRouter = create<RouterState>((set) => ({
  route: hashToRoute(window.location.hash),
  navigate(route, options) {
    const hash = routeToHash(route);
    if (options?.replace) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
    set({ route });
  },
}));

window.addEventListener('popstate', () => useRouter.setState({ route: hashToRoute(window.location.hash) }));

export const navigate = (route: Route, options?: { replace?: boolean }) =>
  useRouter.getState().navigate(route, options);
