/**
 * Formal submission on the review screen: "Submit for certification…" for an analysed practice
 * attempt, then the submission's journey (outbox, upload progress, errors, Retry) and, once a coach
 * has published it, the result beside the AI's draft with comments that seek the video.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { AttemptDetail, AttemptSync, SyncStatus } from '../../../../../shared/api/types';
import type { PublishedResult } from '../../../../../shared/sync/protocol';
import { call, on } from '../../../lib/api';
import { notify, notifyError } from '../../../lib/notifications';
import { formatClock } from '../playback';
import { useReview } from '../store';
import { usePlayer } from './player';

const STATE_TEXT: Record<AttemptSync['state'], string> = {
  queued: 'Waiting to be sent',
  uploading: 'Sending',
  uploaded: 'Sent to the coach server',
  failed: 'Not sent yet',
};

const REMOTE_TEXT: Record<NonNullable<AttemptSync['remoteStatus']>, string> = {
  'awaiting-recording': 'the server is waiting for the recording',
  submitted: 'waiting for a coach',
  'in-review': 'a coach is reviewing it',
  published: 'result published',
};

const percent = (fraction: number | null) => (fraction === null ? '–' : `${Math.round(fraction * 100)}`);

function SubmitDialog(props: { attempt: AttemptDetail; onClose(): void }) {
  const { attempt, onClose } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [includeRecording, setIncludeRecording] = useState(attempt.recordings.length > 0);
  const [busy, setBusy] = useState(false);
  const reload = useReview((s) => s.reload);

  useEffect(() => {
    ref.current?.showModal();
    call('sync.status', {}).then(setStatus, notifyError);
  }, []);

  const paired = status?.serverUrl != null;
  async function submit() {
    setBusy(true);
    try {
      await call('attempt.submit', { attemptId: attempt.id, includeRecording });
      notify('Submitted: it is sent in the background, and resumes if you go offline or quit.', 'success');
      onClose();
      await reload();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={onClose} onClose={onClose}>
      <h2 id={titleId}>Submit for certification</h2>
      <p>
        This sends the attempt to the coach server{status?.serverUrl ? ` (${status.serverUrl})` : ''} for a
        coach to assess: the transcript, the delivery measurements and the AI&apos;s draft scores. It becomes
        a formal submission; it is no longer practice and practice clean-up will not delete it.
      </p>
      <label>
        <input
          type="checkbox"
          checked={includeRecording}
          disabled={attempt.recordings.length === 0}
          onChange={(e) => setIncludeRecording(e.target.checked)}
        />{' '}
        Include the recording
      </label>
      {!paired && status !== null && (
        <p role="note" className="muted">
          This device is not paired with a coach server yet: pair it in Settings → Sync server first.
        </p>
      )}
      <div className="row">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={!paired || busy}
          aria-busy={busy || undefined}
          onClick={() => void submit()}
        >
          {busy ? 'Submitting…' : 'Submit'}
        </button>
      </div>
    </dialog>
  );
}

function PublishedResultView({ result, attempt }: { result: PublishedResult; attempt: AttemptDetail }) {
  const player = usePlayer();
  const titles = new Map(attempt.feedback?.criteria.map((c) => [c.criterionId, c.title]) ?? []);
  return (
    <div className="submission-result">
      <h3>
        Coach&apos;s decision: {result.decision === 'pass' ? 'Pass' : 'Needs work'}
        {result.overallScore !== null && ` · ${Math.round(result.overallScore)} / 100`}
      </h3>
      <p className="muted">
        {result.coach} · {new Date(result.publishedAt).toLocaleString()}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">AI %</th>
            <th scope="col">Coach %</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {result.criteria.map((c) => (
            <tr key={c.criterionId}>
              <th scope="row">{titles.get(c.criterionId) ?? c.criterionId}</th>
              <td>{percent(c.aiScore)}</td>
              <td>{percent(c.coachScore)}</td>
              <td>{c.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.comments.length > 0 && (
        <ul className="submission-comments">
          {result.comments.map((c) => (
            <li key={c.id}>
              {c.at !== null && (
                <button type="button" className="review-moment" onClick={() => player.seek(c.at ?? 0)}>
                  {formatClock(c.at)}
                </button>
              )}{' '}
              {c.text} <span className="muted">— {c.author}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The submission's live state: starts from attempt.sync and follows `sync.changed`. */
function SyncState({ attempt }: { attempt: AttemptDetail }) {
  const [sync, setSync] = useState<AttemptSync | null>(attempt.sync);
  const [retrying, setRetrying] = useState(false);
  const reload = useReview((s) => s.reload);
  useEffect(() => setSync(attempt.sync), [attempt.sync]);
  useEffect(
    () =>
      on('sync.changed', (e) => {
        if (e.attemptId !== attempt.id) return;
        setSync(e);
        if (e.remoteStatus === 'published' && attempt.result === null) void reload();
      }),
    [attempt.id, attempt.result, reload],
  );
  if (!sync) return null;

  async function retry() {
    setRetrying(true);
    try {
      await call('sync.retry', {});
    } catch (error) {
      notifyError(error);
    } finally {
      setRetrying(false);
    }
  }

  return (
    <div>
      <p>
        <strong>{STATE_TEXT[sync.state]}</strong>
        {sync.remoteStatus && ` · ${REMOTE_TEXT[sync.remoteStatus]}`}
        {!sync.includeRecording && ' · transcript and scores only'}
      </p>
      {sync.includeRecording && sync.state !== 'uploaded' && (
        <progress max={1} value={sync.progress} aria-label="Recording sent">
          {percent(sync.progress)}%
        </progress>
      )}
      {sync.lastError && (
        <p role="alert" className="muted">
          {sync.lastError}
        </p>
      )}
      {sync.state === 'failed' && (
        <button type="button" disabled={retrying} onClick={() => void retry()}>
          {retrying ? 'Retrying…' : 'Retry now'}
        </button>
      )}
    </div>
  );
}

export function SubmissionPanel({ attempt }: { attempt: AttemptDetail }) {
  const [dialogOpen, setDialogOpen] = useState(false);
  const canSubmit = attempt.mode === 'practice' && attempt.status === 'analysed' && attempt.feedback !== null;
  if (!canSubmit && attempt.sync === null) return null;
  return (
    <section className="panel submission-panel" aria-labelledby="submission-title">
      <h2 id="submission-title">Certification</h2>
      {attempt.sync ? (
        <>
          <SyncState attempt={attempt} />
          {attempt.result && <PublishedResultView result={attempt.result} attempt={attempt} />}
        </>
      ) : (
        <>
          <p className="muted">Happy with this one? Send it to a coach for formal assessment.</p>
          <button type="button" onClick={() => setDialogOpen(true)}>
            Submit for certification…
          </button>
          {dialogOpen && <SubmitDialog attempt={attempt} onClose={() => setDialogOpen(false)} />}
        </>
      )}
    </section>
  );
}
