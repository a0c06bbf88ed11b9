import { RE2JS } from 're2js';

/**
 * OCI image references (the grammar of distribution/reference, as Docker and ECS parse them),
 * matched with RE2: the text comes from a user's task definition, and this grammar's nested
 * repetitions are exactly what makes a backtracking engine take exponential time.
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE_SOURCE = `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`;
// Compiled on first use, not at import: every bundle that validates manifests loads this module,
// and compiling the grammar is part of each cold start whether the request parses an image or not.
let reference: RE2JS | undefined;
function referenceRegex(): RE2JS {
  reference ??= RE2JS.compile(REFERENCE_SOURCE);
  return reference;
}
/** Docker's limit on the repository name. */
const MAX_NAME_LENGTH = 255;

export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

export interface ImagePolicy {
  /** Allow `latest` (any case) and references with neither tag nor digest. */
  allowMutableTags: boolean;
  /** Every tag must match (RE2 syntax, searched as RegExp.test does: anchor it with ^ and $). */
  tagPattern?: string;
  /** Every image must carry a digest (`@sha256:...`). */
  requireDigest: boolean;
}

/** The parts of an OCI reference, or why it is not one. */
export function parseImageReference(image: string): { ok: true; ref: ImageReference } | { ok: false; reason: string } {
  const m = referenceRegex().matcher(image);
  if (!m.matches()) return { ok: false, reason: `is not a valid image reference${hint(image)}` };
  const name = m.group(1) ?? '';
  if (name.length > MAX_NAME_LENGTH)
    return { ok: false, reason: `is not a valid image reference: the repository name is longer than ${MAX_NAME_LENGTH} characters` };
  const tag = m.group(2);
  const digest = m.group(3);
  return { ok: true, ref: { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) } };
}

function hint(image: string): string {
  if (/\s/.test(image)) return ' (it contains white space)';
  const path = image.includes('/') ? image.slice(image.indexOf('/') + 1) : image;
  if (/[A-Z]/.test(path.split(/[:@]/)[0] ?? '')) return ' (repository names must be lower case)';
  return ' ([registry/]repository[:tag][@digest], with a lower-case repository)';
}

/**
 * Why the policy refuses a valid reference, or undefined when it passes. A deployment must name
 * exactly what it runs: a rollback to `:latest` would not go back to anything.
 */
export function imagePolicyReason(ref: ImageReference, policy: ImagePolicy, tagPattern?: RE2JS): string | undefined {
  if (policy.requireDigest && !ref.digest) {
    return 'has no digest, and spec.stepcd.imagePolicy.requireDigest is set; pin it as name@sha256:<digest>';
  }
  if (tagPattern) {
    if (!ref.tag) return `has no tag to match spec.stepcd.imagePolicy.tagPattern ${JSON.stringify(policy.tagPattern)}`;
    if (!tagPattern.matcher(ref.tag).find())
      return `has the tag ${JSON.stringify(ref.tag)}, which does not match spec.stepcd.imagePolicy.tagPattern ${JSON.stringify(policy.tagPattern)}`;
  }
  if (policy.allowMutableTags || ref.digest) return undefined; // a digest pins the content, whatever the tag says
  const reason = mutableTagReason(ref.tag);
  return reason && `${reason}; pin a version tag or digest (or set spec.stepcd.imagePolicy.allowMutableTags: true)`;
}

function mutableTagReason(tag: string | undefined): string | undefined {
  if (tag === undefined) return 'has no tag or digest, so it means :latest';
  // Registries treat tags case-sensitively, but `LATEST` and `Latest` are used as the same moving tag.
  if (tag.toLowerCase() === 'latest') return `uses the mutable tag ${tag}`;
  return undefined;
}

/** Why an image reference is mutable (or not a reference), or undefined when it is pinned. */
export function mutableImageReason(image: string): string | undefined {
  const parsed = parseImageReference(image);
  if (!parsed.ok) return parsed.reason;
  return parsed.ref.digest ? undefined : mutableTagReason(parsed.ref.tag);
}

/** Compiles a tagPattern with RE2, or says why it cannot be (RE2 refuses backreferences and lookaround). */
export function compileTagPattern(pattern: string): { ok: true; re: RE2JS } | { ok: false; reason: string } {
  try {
    return { ok: true, re: RE2JS.compile(pattern) };
  } catch (err) {
    return {
      ok: false,
      reason: `is not a regular expression stepcd can match in linear time (RE2 syntax: no backreferences or lookaround): ${(err as Error).message}`,
    };
  }
}
