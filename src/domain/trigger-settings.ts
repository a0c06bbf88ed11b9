/**
 * The trigger-relevant fields of one app config, as its text alone gives them: nothing here depends
 * on where the config lives. That makes them cacheable by the config's git blob id (a content hash),
 * which is immutable and shared by identical configs in different directories. src/gitops parses
 * them; the history table caches them.
 */
export interface TriggerSettings {
  /** `spec.name` when readable. */
  name?: string;
  /** Service and task definition file names as written, relative to the app directory. */
  definitionNames: string[];
  /** `trigger.onCommit.paths`, relative to the repository root. */
  paths: string[];
  /** `trigger.onCommit.ignores`, relative to the repository root. */
  ignores: string[];
}
