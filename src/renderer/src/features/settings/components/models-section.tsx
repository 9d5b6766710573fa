import { useState } from 'react';
import type { ModelProgress, ModelSummary } from '../../../../../shared/api/types';
import { formatBytes, MISSING_STAGE_NOTES, STAGE_LABELS, STATUS_LABELS } from '../format';
import { useSettings } from '../store';
import { ConfirmDialog } from './confirm-dialog';

const STAGES: ModelSummary['stage'][] = ['transcribe', 'vad', 'judge'];

function ModelStatus({ model, progress }: { model: ModelSummary; progress: ModelProgress | undefined }) {
  if (!model.installing)
    return <span className={`badge model-status-${model.status}`}>{STATUS_LABELS[model.status]}</span>;
  if (!progress || progress.bytesTotal <= 0)
    return (
      <div className="model-progress">
        <progress aria-label={`Downloading ${model.name}`} />
        <span className="muted">Starting…</span>
      </div>
    );
  const percent = Math.min(100, Math.floor((progress.bytesDone / progress.bytesTotal) * 100));
  const text =
    progress.phase === 'verify'
      ? 'Checking the download…'
      : `${percent}% of ${formatBytes(progress.bytesTotal)}`;
  return (
    <div className="model-progress">
      <progress
        aria-label={`Downloading ${model.name}`}
        max={progress.bytesTotal}
        value={progress.bytesDone}
        aria-valuetext={text}
      />
      <span className="muted">{text}</span>
    </div>
  );
}

function installLabel(status: ModelSummary['status']): string {
  if (status === 'partial') return 'Resume';
  if (status === 'corrupt') return 'Reinstall';
  return 'Install';
}

export function ModelsSection() {
  const models = useSettings((s) => s.models);
  const usage = useSettings((s) => s.usage.data);
  const progress = useSettings((s) => s.progress);
  const actions = useSettings((s) => s.modelActions);
  const installModel = useSettings((s) => s.installModel);
  const cancelInstall = useSettings((s) => s.cancelInstall);
  const removeModel = useSettings((s) => s.removeModel);
  const [confirmRemove, setConfirmRemove] = useState<ModelSummary | null>(null);

  const list = models.data;
  const missingStages = list
    ? STAGES.filter((stage) => !list.some((m) => m.stage === stage && m.status === 'installed'))
    : [];

  return (
    <section className="panel settings-section" aria-labelledby="settings-models">
      <h2 id="settings-models">Models</h2>
      <p className="muted">
        Models run on this computer. Downloading one is the only time Rehearse uses the network.
      </p>
      {list === null ? (
        models.loading ? (
          <p aria-busy="true">Loading models…</p>
        ) : (
          <div role="alert" className="row">
            <span>Could not list the models{models.error ? `: ${models.error}` : '.'}</span>
            <button type="button" onClick={() => void useSettings.getState().loadModels()}>
              Try again
            </button>
          </div>
        )
      ) : list.length === 0 ? (
        <p className="empty-state">The model catalog is empty.</p>
      ) : (
        <>
          {missingStages.length > 0 && (
            <ul className="settings-notes" aria-label="Missing models">
              {missingStages.map((stage) => (
                <li key={stage}>{MISSING_STAGE_NOTES[stage]}</li>
              ))}
            </ul>
          )}
          <div className="settings-table-wrap">
            <table className="settings-table">
              <caption className="settings-sr-only">Models Rehearse can use</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Size</th>
                  <th scope="col">Licence</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="settings-sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((model) => {
                  const action = actions[model.id];
                  const busy = action !== undefined;
                  const removable = !model.installing && model.status !== 'missing';
                  return (
                    <tr key={model.id}>
                      <th scope="row">
                        {model.name}
                        {model.path && (
                          <div className="muted settings-path" title={model.path}>
                            {model.path}
                          </div>
                        )}
                      </th>
                      <td>{STAGE_LABELS[model.stage]}</td>
                      <td>{model.bytes > 0 ? formatBytes(model.bytes) : 'Unknown'}</td>
                      <td className="settings-licence">{model.licence}</td>
                      <td>
                        <ModelStatus model={model} progress={progress[model.id]} />
                      </td>
                      <td>
                        <div className="row settings-actions">
                          {model.installing ? (
                            <button
                              type="button"
                              onClick={() => void cancelInstall(model.id)}
                              disabled={busy}
                              aria-label={`Cancel downloading ${model.name}`}
                            >
                              {action === 'cancelling' ? 'Cancelling…' : 'Cancel'}
                            </button>
                          ) : (
                            model.status !== 'installed' && (
                              <button
                                type="button"
                                className="primary"
                                onClick={() => void installModel(model.id)}
                                disabled={busy}
                                aria-label={`${installLabel(model.status)} ${model.name}`}
                              >
                                {action === 'installing' ? 'Starting…' : installLabel(model.status)}
                              </button>
                            )
                          )}
                          {removable && (
                            <button
                              type="button"
                              className="danger"
                              onClick={() => setConfirmRemove(model)}
                              disabled={busy}
                              aria-label={`Remove ${model.name}`}
                            >
                              {action === 'removing' ? 'Removing…' : 'Remove'}
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p className="muted">
        {usage ? (
          <>
            Models use {formatBytes(usage.modelsBytes)} in <code>{usage.modelsDir}</code>.
          </>
        ) : (
          'Disk use of the models is not known yet.'
        )}
      </p>
      <ConfirmDialog
        open={confirmRemove !== null}
        title={confirmRemove ? `Remove ${confirmRemove.name}?` : 'Remove model?'}
        confirmLabel="Remove"
        busy={confirmRemove !== null && actions[confirmRemove.id] === 'removing'}
        onCancel={() => setConfirmRemove(null)}
        onConfirm={() => {
          if (!confirmRemove) return;
          void removeModel(confirmRemove.id).then(() => setConfirmRemove(null));
        }}
      >
        {confirmRemove && (
          <p>
            This deletes {confirmRemove.status === 'partial' ? 'the partial download of ' : ''}
            {confirmRemove.name}
            {confirmRemove.bytes > 0 ? ` (${formatBytes(confirmRemove.bytes)})` : ''} from this computer. You
            can install it again later.
            {confirmRemove.path && (
              <>
                {' '}
                The file is <code>{confirmRemove.path}</code>.
              </>
            )}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
