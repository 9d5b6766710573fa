import { useId } from 'react';

/** A placeholder for formal submission: visible, explained, and not usable yet. */
export function SyncSection() {
  const addressId = useId();
  const noteId = useId();
  return (
    <section className="panel settings-section settings-disabled" aria-labelledby="settings-sync">
      <h2 id="settings-sync">Sync server</h2>
      <p id={noteId}>
        Formal submission to a coach review server arrives in a later version. Until then nothing is sent
        anywhere.
      </p>
      <fieldset disabled aria-describedby={noteId}>
        <legend className="settings-sr-only">Sync server connection</legend>
        <div className="settings-field">
          <label htmlFor={addressId}>Server address</label>
          <input id={addressId} type="url" placeholder="https://coach.example.com" />
        </div>
      </fieldset>
    </section>
  );
}
