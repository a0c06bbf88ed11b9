export type { AppManifest, CheckOutcome, LoadResult, LocatedIssue, ManifestFiles } from './types.js';
export { locatePath, type Position } from './positions.js';
export { loadApp, analyzeApp, type Analysis } from './load-app.js';
export { verifyApp, verifyRepository } from './checks.js';
export { identityConflicts, readAppIdentity, type AppIdentity } from './app-identity.js';
export { RefusedFileError } from './refusal.js';
export * from './limits.js';
export { createDirFiles } from './dir-files.js';
export { isAppConfigPath, dirOf, resolveInApp } from './paths.js';
export { parseDuration, parsePercentage, type Parsed } from './values.js';
export { mutableImageReason, parseImageReference } from './image-policy.js';
export { CHECKS, type CheckName } from './issues.js';
export {
  API_VERSION,
  KIND,
  DEFAULT_TASK_DEFINITION_FILE,
  DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_POLL_INTERVAL_SECONDS,
} from './app-config.js';
export { DEFAULT_STABLE_TIMEOUT_SECONDS, DEFAULT_APPROVAL_TIMEOUT_SECONDS } from './stages.js';
