import { useCallback, useEffect, useState } from 'react';
import { api, type Device } from '../../lib/api';

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * What a partner does here: get a short code to pair the Rehearse desktop app with this server,
 * and see or revoke the devices already paired. Results arrive in the desktop app.
 */
export function DevicesPage() {
  const [code, setCode] = useState<{ code: string; expiresAt: string } | null>(null);
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setDevices((await api.devices()).devices);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const newCode = async () => {
    setBusy(true);
    setError(null);
    try {
      setCode(await api.pairingCode());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (device: Device) => {
    if (!window.confirm(`Revoke “${device.name}”? It will no longer be able to submit.`)) return;
    try {
      await api.revokeDevice(device.id);
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <>
      <section className="panel" aria-labelledby="pair-title">
        <h2 id="pair-title">Pair the Rehearse desktop app</h2>
        <p>
          In the app, open Settings → Sync server, enter this server’s address (
          <code>{window.location.origin}</code>) and the code below. Your formal submissions then come here,
          and your coach’s published results go back to the app. Practice never leaves your computer.
        </p>
        <button type="button" className="primary" disabled={busy} onClick={() => void newCode()}>
          {code ? 'Get a new code' : 'Get a pairing code'}
        </button>
        {code ? (
          <p className="pairing-code" aria-live="polite">
            <strong aria-label="Pairing code">{code.code}</strong>{' '}
            <span className="muted">single use, valid until {when(code.expiresAt)}</span>
          </p>
        ) : null}
        {error ? <p role="alert">{error}</p> : null}
      </section>
      <section className="panel" aria-labelledby="devices-title">
        <h2 id="devices-title">Paired devices</h2>
        {devices === null ? (
          <p className="muted" aria-busy="true">
            Loading…
          </p>
        ) : devices.length === 0 ? (
          <p className="muted">No device is paired yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Device</th>
                <th>Paired</th>
                <th>Last seen</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.id}>
                  <td>{d.name}</td>
                  <td>{when(d.createdAt)}</td>
                  <td>{d.lastSeenAt ? when(d.lastSeenAt) : '—'}</td>
                  <td>
                    {d.revokedAt ? (
                      <span className="muted">revoked {when(d.revokedAt)}</span>
                    ) : (
                      <button type="button" className="danger" onClick={() => void revoke(d)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
