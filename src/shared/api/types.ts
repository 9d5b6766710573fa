/** Data shapes returned by the API contract. Plain JSON: they cross IPC and HTTP unchanged. */
import type { ScenarioKind } from '../pack/schema';

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
  feedback: unknown | null;
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
