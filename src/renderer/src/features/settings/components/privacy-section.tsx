import { useState } from 'react';
import { formatBytes, formatCount } from '../format';
import { useSettings } from '../store';
import { ConfirmDialog } from './confirm-dialog';
import { OptionalNumberSetting } from './optional-number-setting';

const MAX_DAYS = 3650;

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
      <OptionalNumberSetting
        setting="autoDeleteDays"
        checkboxLabel="Delete practice attempts automatically"
        inputLabel="after"
        unit="days"
        min={1}
        max={MAX_DAYS}
        defaultValue={30}
        helpOff="Off: practice attempts stay until you delete them."
        helpOn={(days) =>
          `On: practice attempts older than ${formatCount(days, 'day', 'days')} are deleted each time Rehearse starts.`
        }
      />

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
