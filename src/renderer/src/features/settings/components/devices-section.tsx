import { useId, useState } from 'react';
import type { Settings } from '../../../../../shared/api/types';
import { useSettings, type MediaDeviceOption } from '../store';
import { OptionalNumberSetting } from './optional-number-setting';

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
      <OptionalNumberSetting
        setting="preparationSeconds"
        checkboxLabel="Use my own preparation countdown"
        inputLabel="Countdown"
        unit="seconds"
        min={0}
        max={MAX_PREPARATION_SECONDS}
        defaultValue={30}
        helpOff="Off: each scenario uses its own preparation time."
        helpOn={(seconds) =>
          seconds === 0
            ? 'Recording starts without a countdown.'
            : `Every scenario gives you ${seconds} seconds to prepare.`
        }
      />
    </section>
  );
}
