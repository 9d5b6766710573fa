/** Data shapes returned by the API contract. Plain JSON: they cross IPC and HTTP unchanged. */
import type { Scenario, ScenarioKind } from '../pack/schema';
import type { DeliveryMetrics } from '../metrics/delivery-metrics-types';
import type { Feedback } from '../analysis/feedback';
import type { Transcript } from '../transcript/transcript';
import type { PublishedResult, SubmissionStatus } from '../sync/protocol';

export interface ProgramSummary {
  id: string;
  title: string;
  vendor: string;
  packVersion: string;
  scenarioCount: number;
  importedAt: string;
}

export interface ScenarioSummary {
  programId: string;
  id: string;
  kind: ScenarioKind;
  title: string;
  answerSeconds: number;
  criteriaCount: number;
  passMark: number;
  progress: ScenarioProgress;
}

export type AttemptMode = 'practice' | 'formal';
export type AttemptStatus = 'recorded' | 'analysing' | 'analysed' | 'failed' | 'submitted';

export interface AttemptSummary {
  id: string;
  programId: string;
  scenarioId: string;
  packVersion: string;
  mode: AttemptMode;
  status: AttemptStatus;
  createdAt: string;
  durationSeconds: number | null;
  /** Overall score 0-100 once feedback exists. */
  score: number | null;
  passed: boolean | null;
}

export interface RecordingInfo {
  id: string;
  kind: 'video' | 'audio';
  mime: string;
  bytes: number;
  sha256: string;
}

export interface AttemptDetail extends AttemptSummary {
  recordings: RecordingInfo[];
  stages: Array<{ stage: string; status: string; error: string | null; updatedAt: string }>;
  hasTranscript: boolean;
  feedback: Feedback | null;
  /** True when the recording was recovered after the app stopped mid-recording. */
  interrupted: boolean;
  /** For a formal submission: where it is in the outbox and on the server. */
  sync: AttemptSync | null;
  /** The coach's published result, once it has come back from the server. */
  result: PublishedResult | null;
}

export interface ImportResult {
  programId: string;
  title: string;
  version: string;
  scenarioCount: number;
  /** 'created' on first import, 'updated' when a different version or content replaced it, 'unchanged' otherwise. */
  outcome: 'created' | 'updated' | 'unchanged';
  warnings: string[];
}

/** Where a partner stands on a scenario, derived from their attempts. */
export type ScenarioStatus = 'not-started' | 'practising' | 'submitted' | 'passed';

export interface ScenarioProgress {
  status: ScenarioStatus;
  attempts: number;
  /** Best overall score of an analysed practice attempt. */
  bestScore: number | null;
  lastAttemptAt: string | null;
}

/** Everything the feedback review screen shows for one attempt. */
export interface AttemptReview {
  attempt: AttemptDetail;
  scenario: Scenario;
  transcript: Transcript | null;
  metrics: DeliveryMetrics | null;
  feedback: Feedback | null;
}

/** The analysis stages, in pipeline order: the one list for the pipeline and the app. */
export const ANALYSIS_STAGES = ['transcribe', 'measure', 'judge', 'feedback'] as const;
export type AnalysisStage = (typeof ANALYSIS_STAGES)[number];

export interface AnalysisProgress {
  attemptId: string;
  stage: AnalysisStage;
  status: 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';
  /** 0..1 within the stage. */
  progress: number;
  message?: string;
}

export interface ActiveAnalysis {
  attemptId: string;
  startedAt: string;
  /** The latest progress event, if any yet. */
  last: AnalysisProgress | null;
}

export interface ModelSummary {
  id: string;
  name: string;
  stage: 'transcribe' | 'vad' | 'judge';
  bytes: number;
  licence: string;
  status: 'installed' | 'missing' | 'partial' | 'corrupt';
  /** The file in use (REHEARSE_MODELS_DIR or the data folder), when installed. */
  path: string | null;
  installing: boolean;
}

export interface ModelProgress {
  modelId: string;
  bytesDone: number;
  bytesTotal: number;
  phase: 'download' | 'verify';
}

export type { Settings } from './settings';

export interface StorageUsage {
  dataDir: string;
  modelsDir: string;
  attempts: number;
  practiceAttempts: number;
  recordingsBytes: number;
  modelsBytes: number;
  databaseBytes: number;
}

/** One formal submission's journey: the device's outbox, then the server. */
export interface AttemptSync {
  attemptId: string;
  /** queued → uploading → uploaded; failed keeps retrying with backoff until it is withdrawn. */
  state: 'queued' | 'uploading' | 'uploaded' | 'failed';
  includeRecording: boolean;
  /** 0..1 of the recording's bytes the server has (1 when there is no recording). */
  progress: number;
  lastError: string | null;
  /** The server's status once it has the manifest. */
  remoteStatus: SubmissionStatus | null;
  updatedAt: string;
}

export interface SyncStatus {
  /** The paired server, or null when this device is not paired. */
  serverUrl: string | null;
  deviceName: string | null;
  pairedAt: string | null;
  outbox: { queued: number; uploading: number; failed: number; uploaded: number };
  /** Last time the server answered, and the last problem reaching it. */
  lastContactAt: string | null;
  lastError: string | null;
}
