import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../lib/api';
import { BASE, useSession } from '../../lib/session';

/** The invitation token travels in the address's fragment (#token=…), which browsers never send. */
function tokenFromAddress(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/**
 * Accepting an invitation (the link `rehearse server init` prints, or one an admin sends): the
 * invited person picks their name and password, and is signed in.
 */
export function InvitationPage() {
  const [token] = useState(tokenFromAddress);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.acceptInvitation(token, name.trim(), password);
      await api.login(user.email, password);
      window.history.replaceState(null, '', BASE);
      useSession.getState().syncRoute();
      useSession.getState().signedIn(user);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (!token)
    return (
      <main className="login-page">
        <section className="panel" role="alert">
          <h2>This invitation link is incomplete</h2>
          <p>Open the whole link you were given (it ends with #token=…), or ask your admin for a new one.</p>
        </section>
      </main>
    );
  return (
    <main className="login-page">
      <form className="panel login-form" onSubmit={(e) => void submit(e)}>
        <h1>Join the Rehearse workspace</h1>
        <p className="muted">Choose the name others will see and a password of at least 12 characters.</p>
        <label>
          Your name
          <input value={name} autoComplete="name" required onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Password
          <input
            type="password"
            value={password}
            minLength={12}
            autoComplete="new-password"
            required
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? <p role="alert">{error}</p> : null}
        <button type="submit" className="primary" disabled={busy || !name.trim() || password.length < 12}>
          {busy ? 'Creating your account…' : 'Create account and sign in'}
        </button>
      </form>
    </main>
  );
}
