/**
 * The typed shape of the local database, kysely style. Columns are snake_case, timestamps ISO-8601
 * TEXT, structured data JSON TEXT. Repositories map rows to camelCase records; only they import this.
 * Migrations do NOT use these types (they are frozen with Kysely<any>), so this file describes the
 * schema after the latest migration.
 */
import type { ColumnType, Insertable, Kysely, Selectable, Updateable } from 'kysely';

/** Set once on insert, never updated. */
type Immutable<T> = ColumnType<T, T, never>;

export type AttemptMode = 'practice' | 'formal';
export type AttemptStatus = 'recorded' | 'analysing' | 'analysed' | 'failed' | 'submitted';
export type RecordingKind = 'video' | 'audio';
export type ScoreSource = 'ai' | 'coach';
export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
export type SyncStateName = 'queued' | 'uploading' | 'uploaded' | 'failed';
export type SubmissionStatusName = 'awaiting-recording' | 'submitted' | 'in-review' | 'published';

export interface ProgramsTable {
  id: string;
  title: string;
  vendor: string;
  pack_version: string;
  /** The whole validated ScenarioPack as JSON. */
  pack_json: string;
  /** sha256 of the pack file as imported, hex. */
  pack_sha256: string;
  source_path: string | null;
  imported_at: string;
  updated_at: string;
}

export interface ScenariosTable {
  program_id: string;
  id: string;
  kind: string;
  title: string;
  position: number;
  scenario_json: string;
}

export interface AttemptsTable {
  id: string;
  program_id: string;
  scenario_id: string;
  pack_version: string;
  mode: AttemptMode;
  status: AttemptStatus;
  created_at: Immutable<string>;
  updated_at: string;
  duration_seconds: number | null;
  note: string | null;
}

export interface RecordingsTable {
  id: string;
  attempt_id: string;
  kind: RecordingKind;
  mime: string;
  /** Relative to the recordings folder, always with "/" separators. */
  relative_path: string;
  bytes: number;
  sha256: string;
  created_at: Immutable<string>;
}

export interface TranscriptsTable {
  attempt_id: string;
  source: string;
  json: string;
  created_at: Immutable<string>;
}

export interface MetricsTable {
  attempt_id: string;
  json: string;
  created_at: Immutable<string>;
}

export interface JudgmentsTable {
  attempt_id: string;
  judge: string;
  model: string | null;
  json: string;
  created_at: Immutable<string>;
}

export interface ScoresTable {
  attempt_id: string;
  criterion_id: string;
  source: ScoreSource;
  score: number | null;
  level: number | null;
  /** 0 / 1, null when not judged. */
  met: number | null;
}

export interface FeedbackTable {
  attempt_id: string;
  json: string;
  created_at: Immutable<string>;
}

export interface PipelineStagesTable {
  attempt_id: string;
  stage: string;
  status: StageStatus;
  error: string | null;
  updated_at: string;
}

export interface SyncStateTable {
  attempt_id: string;
  state: SyncStateName;
  last_error: string | null;
  updated_at: string;
  remote_id: string | null;
  /** 0 / 1: whether the recording goes with the manifest. */
  include_recording: ColumnType<number, number | undefined, number>;
  /** The SubmissionManifest as built at submit time (sent byte-for-byte on every retry). */
  manifest_json: string | null;
  /** The tus upload URL once the server created the upload; a restart resumes from it. */
  upload_url: string | null;
  bytes_sent: ColumnType<number, number | undefined, number>;
  bytes_total: ColumnType<number, number | undefined, number>;
  /** Consecutive failed tries (drives the backoff); 0 after a success. */
  tries: ColumnType<number, number | undefined, number>;
  /** Not before this time (backoff); null = now. */
  next_attempt_at: string | null;
  /** When it entered the outbox: the worker goes oldest first. */
  queued_at: string | null;
  remote_status: SubmissionStatusName | null;
  /** The published result (validated with publishedResultSchema before it is stored). */
  result_json: string | null;
  last_polled_at: string | null;
}

/** The one paired coach-review server (id is always 1); the device token is a file, not a row. */
export interface SyncServerTable {
  id: number;
  server_url: string;
  device_name: string;
  paired_at: string;
  last_contact_at: string | null;
  last_error: string | null;
}

/** One row per setting (see settings/settings-service.ts); the value is JSON. */
export interface SettingsTable {
  key: string;
  value_json: string;
  updated_at: string;
}

export interface Database {
  programs: ProgramsTable;
  scenarios: ScenariosTable;
  attempts: AttemptsTable;
  recordings: RecordingsTable;
  transcripts: TranscriptsTable;
  metrics: MetricsTable;
  judgments: JudgmentsTable;
  scores: ScoresTable;
  feedback: FeedbackTable;
  pipeline_stages: PipelineStagesTable;
  sync_state: SyncStateTable;
  sync_server: SyncServerTable;
  settings: SettingsTable;
}

/** The handle every repository function takes (a transaction works too). */
export type Db = Kysely<Database>;

export type ProgramRow = Selectable<ProgramsTable>;
export type NewProgramRow = Insertable<ProgramsTable>;
export type ScenarioRow = Selectable<ScenariosTable>;
export type NewScenarioRow = Insertable<ScenariosTable>;
export type AttemptRow = Selectable<AttemptsTable>;
export type NewAttemptRow = Insertable<AttemptsTable>;
export type AttemptUpdate = Updateable<AttemptsTable>;
export type RecordingRow = Selectable<RecordingsTable>;
export type NewRecordingRow = Insertable<RecordingsTable>;
export type TranscriptRow = Selectable<TranscriptsTable>;
export type MetricsRow = Selectable<MetricsTable>;
export type JudgmentRow = Selectable<JudgmentsTable>;
export type ScoreRow = Selectable<ScoresTable>;
export type NewScoreRow = Insertable<ScoresTable>;
export type FeedbackRow = Selectable<FeedbackTable>;
export type PipelineStageRow = Selectable<PipelineStagesTable>;
export type SyncStateRow = Selectable<SyncStateTable>;
export type SettingRow = Selectable<SettingsTable>;
