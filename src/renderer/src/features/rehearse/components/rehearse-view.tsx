import { useEffect, useRef } from 'react';
import { mediaUrl } from '../../../lib/api';
import { navigate } from '../../../lib/router';
import { formatClock as clock } from '../../../../../shared/text/format';
import { useRehearse } from '../store';
import './rehearse.css';

function Preview({ stream }: { stream: MediaStream | null }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className="preview" aria-label="Camera preview" autoPlay muted playsInline />;
}

function LevelMeter({ level }: { level: number }) {
  const pct = Math.round(Math.min(1, level * 1.5) * 100);
  return (
    <div
      className="level"
      role="meter"
      aria-label="Microphone level"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className="level-bar" style={{ width: `${pct}%` }} />
    </div>
  );
}

function DevicePickers() {
  const { cameras, microphones, cameraId, microphoneId, chooseDevices, phase } = useRehearse();
  const disabled = phase === 'recording' || phase === 'finishing';
  const label = (d: MediaDeviceInfo, i: number, what: string) => d.label || `${what} ${i + 1}`;
  return (
    <div className="row devices">
      <label>
        Camera{' '}
        <select
          value={cameraId ?? ''}
          disabled={disabled}
          onChange={(e) => void chooseDevices(e.target.value || null, microphoneId)}
        >
          <option value="">System default</option>
          {cameras.map((d, i) => (
            <option key={d.deviceId || i} value={d.deviceId}>
              {label(d, i, 'Camera')}
            </option>
          ))}
        </select>
      </label>
      <label>
        Microphone{' '}
        <select
          value={microphoneId ?? ''}
          disabled={disabled}
          onChange={(e) => void chooseDevices(cameraId, e.target.value || null)}
        >
          <option value="">System default</option>
          {microphones.map((d, i) => (
            <option key={d.deviceId || i} value={d.deviceId}>
              {label(d, i, 'Microphone')}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Brief() {
  const scenario = useRehearse((s) => s.scenario);
  if (!scenario) return null;
  return (
    <section className="panel brief" aria-label="Brief">
      <h2>{scenario.title}</h2>
      <p>{scenario.brief}</p>
      <h3>Your customer</h3>
      <p>
        <strong>{scenario.persona.name}</strong>, {scenario.persona.role}
        {scenario.persona.company ? ` at ${scenario.persona.company}` : ''}
      </p>
      {scenario.persona.background ? <p className="muted">{scenario.persona.background}</p> : null}
      {scenario.persona.disposition ? <p className="muted">{scenario.persona.disposition}</p> : null}
      {scenario.customerPrompt ? (
        <blockquote className="customer-prompt" aria-label="The customer says">
          “{scenario.customerPrompt}”
        </blockquote>
      ) : null}
      <h3>What you will be judged on</h3>
      <ul className="criteria-brief">
        {scenario.rubric.map((c) => (
          <li key={c.id}>
            {c.title}
            {c.required ? <span className="badge">required</span> : null}
          </li>
        ))}
      </ul>
      <p className="muted">
        {scenario.timing.answerSeconds >= 60
          ? `You have ${clock(scenario.timing.answerSeconds)} minutes to answer.`
          : `You have ${scenario.timing.answerSeconds} seconds to answer.`}{' '}
        Pass mark {scenario.passMark}.
      </p>
    </section>
  );
}

export function RehearseView({ programId, scenarioId }: { programId: string; scenarioId: string }) {
  const state = useRehearse();
  const { phase, scenario, error, stream, audioOnly, cameraProblem, countdown, elapsed, level, attempt } =
    state;

  useEffect(() => {
    void useRehearse.getState().load(programId, scenarioId);
    return () => useRehearse.getState().teardown();
  }, [programId, scenarioId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLSelectElement ||
        e.altKey ||
        e.ctrlKey ||
        e.metaKey
      )
        return;
      const s = useRehearse.getState();
      if (e.key === 'r' && s.phase === 'brief' && s.stream) s.startPreparation();
      else if (e.key === 'r' && s.phase === 'preparing') void s.startRecording();
      else if ((e.key === 's' || e.key === 'Escape') && s.phase === 'recording') void s.stopRecording('user');
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (phase === 'loading') return <p aria-busy="true">Loading the scenario…</p>;
  if (phase === 'error' || !scenario)
    return (
      <section className="panel" role="alert">
        <h2>This scenario cannot be opened</h2>
        <p>{error}</p>
        <button type="button" onClick={() => navigate({ name: 'library' })}>
          Back to the library
        </button>
      </section>
    );

  const limit = scenario.timing.answerSeconds;
  const recordingId =
    attempt?.recordings.find((r) => r.kind === 'video')?.id ??
    attempt?.recordings.find((r) => r.kind === 'audio')?.id;

  return (
    <div className="rehearse">
      <Brief />
      <section className="panel stage" aria-label="Recording">
        {phase === 'recorded' && attempt && recordingId ? (
          <>
            <h2>Your answer ({clock(attempt.durationSeconds ?? elapsed)})</h2>
            {attempt.recordings.some((r) => r.kind === 'video') ? (
              <video className="preview" aria-label="Your recording" controls src={mediaUrl(recordingId)} />
            ) : (
              <audio aria-label="Your recording" controls src={mediaUrl(recordingId)} />
            )}
            <div className="row actions">
              <button
                type="button"
                className="primary"
                onClick={() =>
                  void state.analyse().then((id) => id && navigate({ name: 'analysis', attemptId: id }))
                }
              >
                Get feedback
              </button>
              <button type="button" onClick={() => void state.recordAgain()}>
                Record again
              </button>
              <button type="button" className="danger" onClick={() => void state.discard()}>
                Discard
              </button>
            </div>
            <p className="muted">Your recording stays on this computer. Feedback is produced here too.</p>
          </>
        ) : (
          <>
            <Preview stream={audioOnly ? null : stream} />
            {audioOnly ? <p className="muted">Recording sound only. {cameraProblem}</p> : null}
            <LevelMeter level={level} />
            <DevicePickers />
            {error ? (
              <p role="alert" className="error-text">
                {error}{' '}
                <button
                  type="button"
                  onClick={() => void state.chooseDevices(state.cameraId, state.microphoneId)}
                >
                  Try again
                </button>
              </p>
            ) : null}
            {phase === 'brief' ? (
              <div className="row actions">
                <button
                  type="button"
                  className="primary"
                  disabled={!stream}
                  aria-keyshortcuts="R"
                  onClick={() => state.startPreparation()}
                >
                  {state.preparationSeconds > 0
                    ? `Prepare (${state.preparationSeconds} s), then record`
                    : 'Start recording'}
                </button>
                <span className="muted">Press R to start, S to stop.</span>
              </div>
            ) : null}
            {phase === 'preparing' ? (
              <div className="row actions">
                <p className="countdown" aria-live="polite">
                  Recording starts in {countdown} s
                </p>
                <button
                  type="button"
                  className="primary"
                  aria-keyshortcuts="R"
                  onClick={() => void state.startRecording()}
                >
                  Start now
                </button>
              </div>
            ) : null}
            {phase === 'recording' || phase === 'finishing' ? (
              <div className="row actions">
                <span className="rec-dot" aria-hidden="true" />
                <p className="timer" aria-live="off" aria-label="Time recorded">
                  {clock(elapsed)} / {clock(limit)}
                </p>
                <progress max={limit} value={Math.min(elapsed, limit)} aria-label="Time used" />
                <button
                  type="button"
                  className="primary"
                  disabled={phase === 'finishing'}
                  aria-keyshortcuts="S Escape"
                  onClick={() => void state.stopRecording('user')}
                >
                  {phase === 'finishing' ? 'Saving…' : 'Stop'}
                </button>
              </div>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}
