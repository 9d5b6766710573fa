import { useEffect, useId, useState } from 'react';
import { formatBytes, formatCount } from '../format';
import { useSettings } from '../store';
import { ConfirmDialog } from './confirm-dialog';

const MAX_DAYS = 3650;

/** "Delete practice attempts older than N days": off, or a whole number of days, saved on demand. */
function AutoDelete() {
  const stored = useSettings((s) => s.settings.data?.autoDeleteDays ?? null);
  const loaded = useSettings((s) => s.settings.data !== null);
  const saving = useSettings((s) => s.saving.autoDeleteDays === true);
  const save = useSettings((s) => s.save);
  const [enabled, setEnabled] = useState(stored !== null);
  const [days, setDays] = useState(String(stored ?? 30));
  const checkboxId = useId();
  const daysId = useId();
  const errorId = useId();

  // Follow the stored value when it changes underneath (first load, another window).
  useEffect(() => {
    setEnabled(stored !== null);
    if (stored !== null) setDays(String(stored));
  }, [stored]);

  const parsed = Number(days);
  const valid = !enabled || (/^\d+$/.test(days.trim()) && parsed >= 1 && parsed <= MAX_DAYS);
  const wanted = enabled ? parsed : null;
  const changed = valid && wanted !== stored;

  const submit = () => {
    if (!valid || !changed) return;
    // On failure the form keeps what was typed, so nothing is lost; the notification says why.
    void save({ autoDeleteDays: wanted });
  };

  return (
    <form
      className="settings-field"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="row">
        <input
          id={checkboxId}
          type="checkbox"
          checked={enabled}
          disabled={!loaded || saving}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        <label htmlFor={checkboxId}>Delete practice attempts automatically</label>
      </div>
      <div className="row">
        <label htmlFor={daysId}>after</label>
        <input
          id={daysId}
          className="settings-number"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_DAYS}
          step={1}
          value={days}
          disabled={!loaded || saving || !enabled}
          aria-invalid={!valid || undefined}
          aria-describedby={errorId}
          onChange={(e) => setDays(e.target.value)}
        />
        <span>days</span>
        <button type="submit" disabled={!loaded || saving || !changed}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p id={errorId} className={valid ? 'muted' : 'settings-error'}>
        {valid
          ? stored === null
            ? 'Off: practice attempts stay until you delete them.'
            : `On: practice attempts older than ${formatCount(stored, 'day', 'days')} are deleted each time Rehearse starts.`
          : `Enter a whole number of days from 1 to ${MAX_DAYS}.`}
      </p>
    </form>
  );
}

export function PrivacySection() {
  const usage = useSettings((s) => s.usage);
  const deleting = useSettings((s) => s.deletingPractice);
  const deleteAllPractice = useSettings((s) => s.deleteAllPractice);
  const loadUsage = useSettings((s) => s.loadUsage);
  const [confirming, setConfirming] = useState(false);
  const data = usage.data;
  const count = data?.practiceAttempts ?? null;

  const openConfirm = () => {
    setConfirming(true);
    void loadUsage(); // the dialog names the count as it is now
  };

  return (
    <section className="panel settings-section" aria-labelledby="settings-privacy">
      <h2 id="settings-privacy">Privacy</h2>
      <p>
        <strong>Practice never leaves this computer.</strong> Recordings, transcripts and feedback are stored
        only in the folder below. Rehearse uses the network only to download a model when you choose Install.
      </p>
      {data === null ? (
        usage.loading ? (
          <p aria-busy="true">Measuring disk use…</p>
        ) : (
          <div role="alert" className="row">
            <span>Could not measure disk use{usage.error ? `: ${usage.error}` : '.'}</span>
            <button type="button" onClick={() => void loadUsage()}>
              Try again
            </button>
          </div>
        )
      ) : (
        <dl className="settings-usage">
          <dt>Data folder</dt>
          <dd>
            <code>{data.dataDir}</code>
          </dd>
          <dt>Recordings</dt>
          <dd>
            {formatBytes(data.recordingsBytes)} ({formatCount(data.attempts, 'attempt', 'attempts')},{' '}
            {data.practiceAttempts.toLocaleString()} of them practice)
          </dd>
          <dt>Models</dt>
          <dd>{formatBytes(data.modelsBytes)}</dd>
          <dt>Database</dt>
          <dd>{formatBytes(data.databaseBytes)}</dd>
        </dl>
      )}

      <h3 className="settings-subheading">Automatic deletion</h3>
      <AutoDelete />

      <h3 className="settings-subheading">Delete practice data</h3>
      <p className="muted">Formal submissions are kept. This cannot be undone.</p>
      <button type="button" className="danger" onClick={openConfirm} disabled={deleting}>
        Delete all practice data…
      </button>
      <ConfirmDialog
        open={confirming}
        title="Delete all practice data?"
        confirmLabel={count === null ? 'Delete' : `Delete ${formatCount(count, 'attempt', 'attempts')}`}
        confirmDisabled={count === null || count === 0 || usage.loading}
        busy={deleting}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void deleteAllPractice().then(() => setConfirming(false))}
      >
        {count === null || usage.loading ? (
          <p aria-busy="true">Counting practice attempts…</p>
        ) : count === 0 ? (
          <p>There is no practice data to delete.</p>
        ) : (
          <p>
            This permanently deletes {formatCount(count, 'practice attempt', 'practice attempts')} with their
            recordings, transcripts and feedback. Formal submissions are kept.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
