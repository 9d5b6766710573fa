import { useEffect, useState } from 'react';
import type { ScenarioSummary } from '../../../../../shared/api/types';
import { on } from '../../../lib/api';
import { navigate } from '../../../lib/router';
import { useLibrary } from '../store';

/** "2 min", "1 min 30 s", "45 s". */
function answerTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (m === 0) return `${s} s`;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

const STATUS_LABEL = {
  'not-started': 'Not started',
  practising: 'Practising',
  submitted: 'Submitted',
  passed: 'Passed',
} as const;

function StatusBadge({ s }: { s: ScenarioSummary }) {
  const { status, bestScore, attempts } = s.progress;
  return (
    <span className={`badge badge-${status}`} title={`${attempts} attempt${attempts === 1 ? '' : 's'}`}>
      {STATUS_LABEL[status]}
      {bestScore !== null ? ` · best ${Math.round(bestScore)}` : ''}
    </span>
  );
}

function ImportPack() {
  const { info, importing, importPack } = useLibrary();
  const [path, setPath] = useState('');
  return (
    <div className="import">
      {info?.demoPackPath ? (
        <button
          type="button"
          className="primary"
          disabled={importing}
          onClick={() => void importPack(info.demoPackPath!)}
        >
          {importing ? 'Importing…' : 'Import the demo pack'}
        </button>
      ) : null}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void importPack(path.trim());
        }}
      >
        <label>
          Pack folder or pack.yaml{' '}
          <input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/path/to/pack"
            size={40}
          />
        </label>
        <button type="submit" disabled={importing || !path.trim()}>
          Import
        </button>
      </form>
      <p className="muted">
        From a terminal: <code>npx rehearse packs import resources/packs/demo</code>
      </p>
    </div>
  );
}

export function LibraryView() {
  const { programs, scenarios, loading, error, load } = useLibrary();
  useEffect(() => {
    void load();
    const offs = [
      on('pack.imported', () => void load()),
      on('attempt.changed', () => void load()),
      on('attempt.deleted', () => void load()),
      on('attempts.cleared', () => void load()),
    ];
    return () => offs.forEach((off) => off());
  }, [load]);

  if (loading) return <p aria-busy="true">Loading your library…</p>;
  if (error)
    return (
      <section className="panel" role="alert">
        <p>{error}</p>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </section>
    );
  if (programs.length === 0)
    return (
      <section className="panel empty-state">
        <h2>No scenario packs yet</h2>
        <p>Import a pack from your vendor’s enablement team to start rehearsing, or try the demo pack.</p>
        <ImportPack />
      </section>
    );
  return (
    <section>
      {programs.map((p) => (
        <article key={p.id} className="panel">
          <h2>
            {p.title} <small className="muted">v{p.packVersion}</small>
          </h2>
          <p className="muted">{p.vendor}</p>
          <ul className="scenario-list">
            {scenarios
              .filter((s) => s.programId === p.id)
              .map((s) => (
                <li key={s.id} className="scenario-item">
                  <div>
                    <strong>{s.title}</strong> — {s.kind}, {answerTime(s.answerSeconds)}, pass mark{' '}
                    {s.passMark}
                  </div>
                  <div className="row">
                    <StatusBadge s={s} />
                    <button
                      type="button"
                      className="primary"
                      aria-label={`Rehearse: ${s.title}`}
                      onClick={() => navigate({ name: 'rehearse', programId: s.programId, scenarioId: s.id })}
                    >
                      Rehearse
                    </button>
                    {s.progress.attempts > 0 ? (
                      <button
                        type="button"
                        aria-label={`Progress: ${s.title}`}
                        onClick={() =>
                          navigate({ name: 'progress', programId: s.programId, scenarioId: s.id })
                        }
                      >
                        Progress
                      </button>
                    ) : null}
                  </div>
                </li>
              ))}
          </ul>
        </article>
      ))}
      <details className="panel">
        <summary>Import another pack</summary>
        <ImportPack />
      </details>
    </section>
  );
}
