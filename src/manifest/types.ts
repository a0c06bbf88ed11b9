import type { ManifestIssue } from './issues.js';
import type { Mention, PlannedStage, ServiceDefinition, StandaloneTarget, TargetGroupRef } from '../domain/plan.js';

/** Where manifests are read from: a checkout, `git show sha:path`, or the GitHub contents API. */
export interface ManifestFiles {
  /** `path` is relative to the repository root, '/'-separated; undefined means the file does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /**
   * Optional: the files about to be read, so a source that batches (GitHub's GraphQL) can ask for
   * them together. The reads that follow must find them in flight; nothing is returned or thrown here.
   */
  prefetch?(paths: readonly string[]): void;
}

/** One app, validated and with every default filled in. */
export interface AppManifest {
  name: string;
  /** Directory of the app config file, relative to the repository root ('' for the root). */
  dir: string;
  /** Repo-relative path of the app config file. */
  configFile: string;
  labels: Record<string, string>;
  description?: string;
  serviceDefinition: ServiceDefinition;
  taskDefinition: Record<string, unknown>;
  targetGroups: { primary?: TargetGroupRef; canary?: TargetGroupRef };
  accessType: 'ELB' | 'SERVICE_DISCOVERY';
  /** A PipeCD standalone task (no service definition): `serviceDefinition` then holds only the cluster. */
  standalone?: StandaloneTarget;
  autoRollback: boolean;
  alwaysUsePipeline: boolean;
  trigger: { paths: string[]; ignores: string[] };
  /** The pipeline; empty when the app has none (it then always quick-syncs). */
  stages: PlannedStage[];
  timeoutSeconds: number;
  mentions: Mention[];
  slackChannel?: string;
  pollIntervalSeconds: number;
  stabilityBackstopSeconds?: number;
  /** spec.encryption's ciphertexts, for the stage function to decrypt into the task definition. */
  encryptedSecrets?: Record<string, string>;
  /** Repo-relative paths the app reads (config, service definition unless standalone, task definition, attachments). */
  files: string[];
}

export type LoadResult = { ok: true; app: AppManifest; warnings: ManifestIssue[] } | { ok: false; issues: ManifestIssue[] };

/** One row of `stepcd validate`. */
export interface CheckOutcome {
  app: string;
  check: string;
  status: 'OK' | 'NG' | 'SKIP' | 'WARN';
  detail?: string;
  /** The problems behind NG or WARN, each with its place, for annotations (GitHub, SARIF). */
  issues?: LocatedIssue[];
}

/** A manifest problem with where it is: 1-based line and column in `file`. */
export interface LocatedIssue {
  file: string;
  path: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}
