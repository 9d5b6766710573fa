import { useEffect } from 'react';
import { Notifications } from './components/notifications';
import { AnalysisView } from './features/analysis/components/analysis-view';
import { LibraryView } from './features/library/components/library-view';
import { ProgressView } from './features/progress/components/progress-view';
import { RehearseView } from './features/rehearse/components/rehearse-view';
import { ReviewView } from './features/review/components/review-view';
import { SettingsView } from './features/settings/components/settings-view';
import { navigate, useRouter, type Route } from './lib/router';

const NAV: Array<{ name: 'library' | 'progress' | 'settings'; label: string; key: string }> = [
  { name: 'library', label: 'Library', key: '1' },
  { name: 'progress', label: 'Progress', key: '2' },
  { name: 'settings', label: 'Settings', key: '3' },
];

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'library':
      return <LibraryView />;
    case 'rehearse':
      return <RehearseView programId={route.programId} scenarioId={route.scenarioId} />;
    case 'analysis':
      return <AnalysisView attemptId={route.attemptId} />;
    case 'review':
      return <ReviewView attemptId={route.attemptId} />;
    case 'progress':
      return <ProgressView {...route} />;
    case 'settings':
      return <SettingsView />;
  }
}

export function App() {
  const route = useRouter((s) => s.route);
  useEffect(() => {
    // Alt+1..3 jumps between the main sections from anywhere.
    const onKey = (e: KeyboardEvent) => {
      const item = e.altKey && NAV.find((n) => n.key === e.key);
      if (item) {
        e.preventDefault();
        navigate({ name: item.name });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Rehearse</h1>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <a
              key={n.name}
              href={`#/${n.name}`}
              aria-current={route.name === n.name ? 'page' : undefined}
              aria-keyshortcuts={`Alt+${n.key}`}
              onClick={(e) => {
                e.preventDefault();
                navigate({ name: n.name });
              }}
            >
              {n.label}
            </a>
          ))}
        </nav>
        <span className="privacy-badge" title="Practice recordings and feedback stay on this computer">
          Private: on this device
        </span>
      </header>
      <main className="app-main">
        <Screen route={route} />
      </main>
      <Notifications />
    </div>
  );
}
