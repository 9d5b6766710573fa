import { useEffect, useId, useState } from 'react';
import type { Settings } from '../../../../../shared/api/types';
import { useSettings, type MediaDeviceOption } from '../store';

const MAX_PREPARATION_SECONDS = 3600;
const SYSTEM_DEFAULT = '';

/** A device picker saved as `cameraId` or `microphoneId`; '' stands for the system default (null). */
function DevicePicker(props: {
  setting: 'cameraId' | 'microphoneId';
  label: string;
  options: MediaDeviceOption[];
}) {
  const { setting, label, options } = props;
  const stored = useSettings((s) => s.settings.data?.[setting] ?? null);
  const loaded = useSettings((s) => s.settings.data !== null);
  const saving = useSettings((s) => s.saving[setting] === true);
  const save = useSettings((s) => s.save);
  const id = useId();
  // A saved device that is unplugged now stays selected (and saved) until the user picks another.
  const storedMissing = stored !== null && !options.some((o) => o.deviceId === stored);
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={stored ?? SYSTEM_DEFAULT}
        disabled={!loaded || saving}
        aria-busy={saving || undefined}
        onChange={(e) => {
          const value = e.target.value;
          void save({ [setting]: value === SYSTEM_DEFAULT ? null : value } as Partial<Settings>);
        }}
      >
        <option value={SYSTEM_DEFAULT}>System default</option>
        {options.map((o, index) => (
          <option key={o.deviceId} value={o.deviceId}>
            {o.label || `${label} ${index + 1}`}
          </option>
        ))}
        {storedMissing && <option value={stored}>Saved device (not connected)</option>}
      </select>
    </div>
  );
}

/** "Use my own preparation time": off (the scenario's own) or whole seconds, saved on demand. */
function PreparationOverride() {
  const stored = useSettings((s) => s.settings.data?.preparationSeconds ?? null);
  const loaded = useSettings((s) => s.settings.data !== null);
  const saving = useSettings((s) => s.saving.preparationSeconds === true);
  const save = useSettings((s) => s.save);
  const [enabled, setEnabled] = useState(stored !== null);
  const [seconds, setSeconds] = useState(String(stored ?? 30));
  const checkboxId = useId();
  const secondsId = useId();
  const helpId = useId();

  useEffect(() => {
    setEnabled(stored !== null);
    if (stored !== null) setSeconds(String(stored));
  }, [stored]);

  const parsed = Number(seconds);
  const valid =
    !enabled || (/^\d+$/.test(seconds.trim()) && parsed >= 0 && parsed <= MAX_PREPARATION_SECONDS);
  const wanted = enabled ? parsed : null;
  const changed = valid && wanted !== stored;

  return (
    <form
      className="settings-field"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && changed) void save({ preparationSeconds: wanted });
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
        <label htmlFor={checkboxId}>Use my own preparation countdown</label>
      </div>
      <div className="row">
        <label htmlFor={secondsId}>Countdown</label>
        <input
          id={secondsId}
          className="settings-number"
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_PREPARATION_SECONDS}
          step={1}
          value={seconds}
          disabled={!loaded || saving || !enabled}
          aria-invalid={!valid || undefined}
          aria-describedby={helpId}
          onChange={(e) => setSeconds(e.target.value)}
        />
        <span>seconds</span>
        <button type="submit" disabled={!loaded || saving || !changed}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p id={helpId} className={valid ? 'muted' : 'settings-error'}>
        {!valid
          ? `Enter a whole number of seconds from 0 to ${MAX_PREPARATION_SECONDS}.`
          : stored === null
            ? 'Off: each scenario uses its own preparation time.'
            : stored === 0
              ? 'Recording starts without a countdown.'
              : `Every scenario gives you ${stored} seconds to prepare.`}
      </p>
    </form>
  );
}

export function DevicesSection() {
  const devices = useSettings((s) => s.devices);
  const requestDeviceLabels = useSettings((s) => s.requestDeviceLabels);
  const [asking, setAsking] = useState(false);
  const data = devices.data;
  const supported = typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.enumerateDevices);

  return (
    <section className="panel settings-section" aria-labelledby="settings-devices">
      <h2 id="settings-devices">Audio and video</h2>
      {!supported ? (
        <p role="alert">This window cannot list cameras or microphones.</p>
      ) : data === null ? (
        devices.loading ? (
          <p aria-busy="true">Looking for cameras and microphones…</p>
        ) : (
          <p role="alert">
            Could not list cameras and microphones{devices.error ? `: ${devices.error}` : '.'}
          </p>
        )
      ) : (
        <>
          <div className="settings-grid">
            <DevicePicker setting="cameraId" label="Camera" options={data.cameras} />
            <DevicePicker setting="microphoneId" label="Microphone" options={data.microphones} />
          </div>
          {data.cameras.length === 0 && data.microphones.length === 0 && (
            <p className="muted">No camera or microphone found yet; the system default is used.</p>
          )}
          {!data.labelled && (
            <div className="row">
              <p className="muted">
                Device names appear after you allow Rehearse to use the camera and microphone.
              </p>
              <button
                type="button"
                disabled={asking}
                onClick={() => {
                  setAsking(true);
                  void requestDeviceLabels().finally(() => setAsking(false));
                }}
              >
                {asking ? 'Asking…' : 'Allow access to show names'}
              </button>
            </div>
          )}
        </>
      )}
      <h3 className="settings-subheading">Preparation</h3>
      <PreparationOverride />
    </section>
  );
}
