/**
 * Limits on manifest input, the same in `stepcd validate` and on push: what a file source will read,
 * and what the parser will build. Each is far above what a real manifest needs.
 */

/** Any one manifest file. ECS itself caps a task definition at 64 KiB; a plan must stay under 200 KB. */
export const MAX_MANIFEST_FILE_BYTES = 256 * 1024;
/** YAML aliases per document: enough for anchors reused by hand, too few for an alias bomb. */
export const MAX_YAML_ALIASES = 100;
/** Nesting of mappings and lists; a CreateService or RegisterTaskDefinition shape needs about 8. */
export const MAX_NESTING_DEPTH = 64;
/** Symlinks followed in a row inside the repository before the chain is refused. */
export const MAX_SYMLINK_HOPS = 8;
/** trigger.onCommit patterns: how many, and how long each may be. */
export const MAX_TRIGGER_PATTERNS = 100;
export const MAX_PATTERN_LENGTH = 1000;
