import { useEffect, type ReactNode } from 'react';
import { AnalyticsPage } from './features/analytics/analytics-page';
import { DevicesPage } from './features/devices/devices-page';
import { InvitationPage } from './features/invitation/invitation-page';
import { LoginPage } from './features/login/login-page';
import { QueuePage } from './features/queue/queue-page';
import { ReviewPage } from './features/review/review-page';
import { AppLink } from './lib/app-link';
import { ANALYTICS_PATH, BASE, useSession } from './lib/session';

export function App() {
  const status = useSession((s) => s.status);
  const user = useSession((s) => s.user);
  const route = useSession((s) => s.route);

  useEffect(() => {
    void useSession.getState().check();
    const onPop = () => useSession.getState().syncRoute();
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  if (status === 'checking')
    return (
      <main className="app-main" aria-busy="true">
        <p className="muted">Loading…</p>
      </main>
    );
  if (route.page === 'invitation' && status !== 'signed-in') return <InvitationPage />;
  if (status === 'signed-out' || !user) return <LoginPage />;

  let page: ReactNode;
  // Partners come here only to pair the desktop app; their results arrive in the app.
  if (user.role === 'partner') page = <DevicesPage />;
  else if (route.page === 'queue') page = <QueuePage />;
  else if (route.page === 'analytics') page = <AnalyticsPage />;
  else if (route.page === 'review')
    page = <ReviewPage key={route.submissionId} submissionId={route.submissionId} />;
  else
    page = (
      <section className="panel">
        <h2>Page not found</h2>
        <p>
          <AppLink href={BASE}>Back to the review queue</AppLink>
        </p>
      </section>
    );

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <h1>Rehearse · Coach workspace</h1>
        {user.role === 'partner' ? null : (
          <nav aria-label="Workspace">
            <AppLink href={BASE} current={route.page === 'queue'}>
              Review queue
            </AppLink>
            <AppLink href={ANALYTICS_PATH} current={route.page === 'analytics'}>
              Analytics
            </AppLink>
          </nav>
        )}
        <span className="header-user muted">
          {user.name} ({user.role})
        </span>
        <button type="button" onClick={() => void useSession.getState().signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
