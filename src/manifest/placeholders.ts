import { fieldPath } from './issues.js';
import type { ReadContext } from './read-object.js';
import { show } from './values.js';

/** `{{ .encryptedSecrets.x }}`, `{{ .attachment.config }}`: PipeCD's Go-template placeholders. */
const PLACEHOLDER = /\{\{[^{}]{0,200}\}\}/g;
const KNOWN = /^\{\{\s*\.(encryptedSecrets|attachment)\.([A-Za-z0-9_-]{1,100})\s*\}\}$/;

/** What may fill this file's placeholders: it is a decryption target and/or an attachment target. */
export interface TemplateSources {
  /** Secret names (spec.encryption.encryptedSecrets); left in place for the stage function to fill. */
  secrets?: ReadonlySet<string>;
  /** Attachment name → file content (spec.attachment.sources), filled here. */
  attachments?: ReadonlyMap<string, string>;
}

/**
 * Fills `{{ .attachment.name }}` and checks every other placeholder in a definition file: an
 * encrypted secret it names must exist and the file must be a decryption target; anything else
 * would reach ECS literally (a container with `{{ ... }}` as its password), so it is an error.
 */
export function fillPlaceholders(ctx: ReadContext, root: unknown, sources: TemplateSources = {}): unknown {
  const visit = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return fillString(ctx, value, path, sources);
    if (Array.isArray(value)) return value.map((item, i) => visit(item, fieldPath(path, i)));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item, fieldPath(path, key))]));
    }
    return value;
  };
  return visit(root, '');
}

function fillString(ctx: ReadContext, text: string, path: string, sources: TemplateSources): string {
  return text.replace(PLACEHOLDER, (found) => {
    const known = KNOWN.exec(found);
    if (known?.[1] === 'attachment') {
      const content = sources.attachments?.get(known[2] as string);
      if (content !== undefined) return content;
      const why = sources.attachments
        ? `names attachment ${show(known[2])}, which spec.attachment.sources does not define`
        : 'is an attachment placeholder, but this file is not in spec.attachment.targets';
      ctx.issues.error(ctx.check, ctx.file, path, `holds ${show(found)}: it ${why}, so it would be deployed literally`);
      return found;
    }
    if (known?.[1] === 'encryptedSecrets') {
      if (sources.secrets?.has(known[2] as string)) return found;
      const why = sources.secrets
        ? `names secret ${show(known[2])}, which spec.encryption.encryptedSecrets does not define`
        : 'is an encrypted-secret placeholder, but this file is not in spec.encryption.decryptionTargets';
      ctx.issues.error(ctx.check, ctx.file, path, `holds ${show(found)}: it ${why}, so it would be deployed literally`);
      return found;
    }
    ctx.issues.error(
      ctx.check,
      ctx.file,
      path,
      `holds the template placeholder ${show(found)}: stepcd fills only {{ .encryptedSecrets.<name> }} and {{ .attachment.<name> }}, so it would be deployed literally`,
    );
    return found;
  });
}

/** Kept for callers that only check: reports what fillPlaceholders would, with no sources. */
export function checkPlaceholders(ctx: ReadContext, root: unknown): void {
  fillPlaceholders(ctx, root);
}
