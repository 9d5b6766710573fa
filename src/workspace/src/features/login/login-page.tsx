import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, errorMessage } from '../../lib/api';
import { formatWait } from '../../lib/format';
import { useSession } from '../../lib/session';

/** Email and password; wrong credentials and the rate limit (429, with the wait) are said plainly. */
export function LoginPage() {
  const notice = useSession((s) => s.notice);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** When the server will take sign-ins again (429), as a browser time. */
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const errorId = useId();
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => emailRef.current?.focus(), []);
  useEffect(() => {
    if (retryAt === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [retryAt]);

  const waitLeft = retryAt === null ? 0 : Math.max(0, (retryAt - now) / 1000);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.login(email, password);
      setRetryAt(null);
      useSession.getState().signedIn(user);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const wait = err.retryAfterSeconds ?? 60;
        setRetryAt(Date.now() + wait * 1000);
        setNow(Date.now());
        setError(`Too many failed sign-ins. Wait ${formatWait(wait)} before trying again.`);
      } else {
        setRetryAt(null);
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login-page">
      <form
        className="panel login-form"
        onSubmit={onSubmit}
        aria-describedby={error ? errorId : undefined}
        noValidate
      >
        <h1>Rehearse · Coach workspace</h1>
        <p className="muted">Sign in to review your partners’ formal submissions.</p>
        {notice && <p className="notice-inline">{notice}</p>}
        <label>
          Email
          <input
            ref={emailRef}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p id={errorId} className="error-text" role="alert">
            {error}
            {retryAt !== null && waitLeft > 0 && <span className="wait"> ({formatWait(waitLeft)} left)</span>}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !email || !password} aria-busy={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
