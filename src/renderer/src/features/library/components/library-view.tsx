import { useEffect } from 'react';
import { useLibrary } from '../store';

/** "2 min", "1 min 30 s", "45 s". */
function answerTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (m === 0) return `${s} s`;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

export function LibraryView() {
  const { programs, scenarios, loading, error, load } = useLibrary();
  useEffect(() => {
    void load();
  }, [load]);

  if (loading) return <p aria-busy="true">Loading your library…</p>;
  if (error) return <p role="alert">{error}</p>;
  if (programs.length === 0)
    return (
      <section>
        <h2>No scenario packs yet</h2>
        <p>
          Import a pack to start rehearsing, for example the demo pack:{' '}
          <code>npx rehearse packs import resources/packs/demo</code>
        </p>
      </section>
    );
  return (
    <section>
      {programs.map((p) => (
        <article key={p.id}>
          <h2>
            {p.title} <small>v{p.packVersion}</small>
          </h2>
          <ul>
            {scenarios
              .filter((s) => s.programId === p.id)
              .map((s) => (
                <li key={s.id}>
                  <strong>{s.title}</strong> — {s.kind}, {answerTime(s.answerSeconds)}, pass mark {s.passMark}
                </li>
              ))}
          </ul>
        </article>
      ))}
    </section>
  );
}
