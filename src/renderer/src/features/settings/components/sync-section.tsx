import { useCallback, useEffect, useId, useState } from 'react';
import type { SyncStatus } from '../../../../../shared/api/types';
import { call, on } from '../../../lib/api';
import { notify, notifyError } from '../../../lib/notifications';
import { ConfirmDialog } from './confirm-dialog';

/** "Rehearse on macOS" and the like, from what the browser says about the platform. */
function defaultDeviceName(): string {
  const platform = typeof navigator === 'undefined' ? '' : navigator.platform;
  const name = /mac/i.test(platform)
    ? 'macOS'
    : /win/i.test(platform)
      ? 'Windows'
      : /linux/i.test(platform)
        ? 'Linux'
        : 'this computer';
  return `Rehearse on ${name}`;
}

function PairForm({ onPaired }: { onPaired(status: SyncStatus): void }) {
  const addressId = useId();
  const codeId = useId();
  const nameId = useId();
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState(defaultDeviceName);
  const [busy, setBusy] = useState(false);

  async function pair() {
    setBusy(true);
    try {
      const status = await call('sync.pair', { serverUrl: serverUrl.trim(), code, deviceName });
      notify(`Paired with ${status.serverUrl ?? serverUrl}`, 'success');
      setCode('');
      onPaired(status);
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void pair();
      }}
    >
      <p>
        Pair this device with your coach&apos;s server to submit attempts for certification. Practice stays on
        this computer: only attempts you submit are sent.
      </p>
      <div className="settings-field">
        <label htmlFor={addressId}>Server address</label>
        <input
          id={addressId}
          type="url"
          required
          placeholder="https://coach.example.com"
          value={serverUrl}
          onChange={(e) => setServerUrl(e.target.value)}
        />
      </div>
      <div className="settings-field">
        <label htmlFor={codeId}>Pairing code</label>
        <input
          id={codeId}
          required
          autoComplete="off"
          placeholder="ABCD-EFGH"
          minLength={4}
          maxLength={32}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </div>
      <div className="settings-field">
        <label htmlFor={nameId}>Device name</label>
        <input
          id={nameId}
          required
          maxLength={100}
          value={deviceName}
          onChange={(e) => setDeviceName(e.target.value)}
        />
      </div>
      <button type="submit" className="primary" disabled={busy} aria-busy={busy || undefined}>
        {busy ? 'Pairing…' : 'Pair'}
      </button>
    </form>
  );
}

/** Pairing with the coach-review server, and the outbox of formal submissions. */
export function SyncSection() {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirmUnpair, setConfirmUnpair] = useState(false);
  const [busy, setBusy] = useState<'retry' | 'unpair' | null>(null);

  const refresh = useCallback(() => {
    call('sync.status', {}).then(
      (s) => {
        setStatus(s);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)),
    );
  }, []);
  useEffect(() => {
    refresh();
    return on('sync.changed', refresh);
  }, [refresh]);

  async function run(action: 'retry' | 'unpair') {
    setBusy(action);
    try {
      setStatus(await call(action === 'retry' ? 'sync.retry' : 'sync.unpair', {}));
      if (action === 'unpair') notify('This device is no longer paired.');
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
      setConfirmUnpair(false);
    }
  }

  return (
    <section className="panel settings-section" aria-labelledby="settings-sync">
      <h2 id="settings-sync">Sync server</h2>
      {status === null ? (
        <p role={loadError ? 'alert' : 'status'}>{loadError ?? 'Loading…'}</p>
      ) : status.serverUrl === null ? (
        <PairForm onPaired={setStatus} />
      ) : (
        <>
          <dl className="settings-facts">
            <dt>Server</dt>
            <dd>{status.serverUrl}</dd>
            <dt>This device</dt>
            <dd>{status.deviceName}</dd>
            <dt>Submissions</dt>
            <dd>
              {status.outbox.uploaded} sent · {status.outbox.queued + status.outbox.uploading} waiting ·{' '}
              {status.outbox.failed} not sent yet
            </dd>
            <dt>Last contact</dt>
            <dd>{status.lastContactAt ? new Date(status.lastContactAt).toLocaleString() : 'never'}</dd>
          </dl>
          {status.lastError && <p role="alert">{status.lastError}</p>}
          <div className="row">
            <button type="button" disabled={busy !== null} onClick={() => void run('retry')}>
              {busy === 'retry' ? 'Retrying…' : 'Retry now'}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy !== null}
              onClick={() => setConfirmUnpair(true)}
            >
              Unpair
            </button>
          </div>
          <ConfirmDialog
            open={confirmUnpair}
            title="Unpair this device?"
            confirmLabel="Unpair"
            busy={busy === 'unpair'}
            onConfirm={() => void run('unpair')}
            onCancel={() => setConfirmUnpair(false)}
          >
            <p>
              The device token is forgotten. What the server already has stays there; submissions not sent yet
              wait until you pair again.
            </p>
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}
