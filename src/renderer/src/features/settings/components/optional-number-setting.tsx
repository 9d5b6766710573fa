import { useEffect, useId, useState } from 'react';
import type { Settings } from '../../../../../shared/api/types';
import { useSettings } from '../store';

/** The keys of Settings whose value is a whole number or null (null: "off", use the default behaviour). */
export type OptionalNumberKey = {
  [K in keyof Settings]: Settings[K] extends number | null ? K : never;
}[keyof Settings];

/**
 * "Use my own value": off (null) or a whole number from `min` to `max`, saved on demand.
 * A checkbox turns the value on, a number input holds it, Save stores it, and a line below
 * says what the stored value does (or why the typed one is not accepted).
 */
export function OptionalNumberSetting(props: {
  setting: OptionalNumberKey;
  checkboxLabel: string;
  inputLabel: string;
  /** Plural unit word shown after the input and in the error line, e.g. "seconds". */
  unit: string;
  min: number;
  max: number;
  /** What the input shows while nothing is stored. */
  defaultValue: number;
  /** The help line while the stored value is null. */
  helpOff: string;
  /** The help line for a stored value. */
  helpOn: (value: number) => string;
}) {
  const { setting, checkboxLabel, inputLabel, unit, min, max, defaultValue, helpOff, helpOn } = props;
  const stored = useSettings((s) => s.settings.data?.[setting] ?? null);
  const loaded = useSettings((s) => s.settings.data !== null);
  const saving = useSettings((s) => s.saving[setting] === true);
  const save = useSettings((s) => s.save);
  const [enabled, setEnabled] = useState(stored !== null);
  const [text, setText] = useState(String(stored ?? defaultValue));
  const checkboxId = useId();
  const inputId = useId();
  const helpId = useId();

  // Follow the stored value when it changes underneath (first load, another window).
  useEffect(() => {
    setEnabled(stored !== null);
    if (stored !== null) setText(String(stored));
  }, [stored]);

  const parsed = Number(text);
  const valid = !enabled || (/^\d+$/.test(text.trim()) && parsed >= min && parsed <= max);
  const wanted = enabled ? parsed : null;
  const changed = valid && wanted !== stored;

  return (
    <form
      className="settings-field"
      onSubmit={(e) => {
        e.preventDefault();
        // On failure the form keeps what was typed, so nothing is lost; the notification says why.
        if (valid && changed) void save({ [setting]: wanted } as Partial<Settings>);
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
        <label htmlFor={checkboxId}>{checkboxLabel}</label>
      </div>
      <div className="row">
        <label htmlFor={inputId}>{inputLabel}</label>
        <input
          id={inputId}
          className="settings-number"
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={text}
          disabled={!loaded || saving || !enabled}
          aria-invalid={!valid || undefined}
          aria-describedby={helpId}
          onChange={(e) => setText(e.target.value)}
        />
        <span>{unit}</span>
        <button type="submit" disabled={!loaded || saving || !changed}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p id={helpId} className={valid ? 'muted' : 'settings-error'}>
        {!valid
          ? `Enter a whole number of ${unit} from ${min} to ${max}.`
          : stored === null
            ? helpOff
            : helpOn(stored)}
      </p>
    </form>
  );
}
