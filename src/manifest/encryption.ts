import * as z from 'zod/mini';
import { fieldPath } from './issues.js';
import { resolveInApp } from './paths.js';
import { readObject, type ReadContext } from './read-object.js';

const NAME = /^[A-Za-z0-9_-]{1,100}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** KMS ciphertext of a 4 KB plaintext stays well under this. */
const MAX_CIPHERTEXT_CHARS = 8192;

/** spec.encryption and spec.attachment, with every file path resolved inside the repository. */
export interface Templating {
  encryptedSecrets: Record<string, string>;
  /** Repo-relative files whose `{{ .encryptedSecrets.<name> }}` are filled. */
  decryptionTargets: string[];
  /** Attachment name → repo-relative file. */
  attachmentSources: Record<string, string>;
  attachmentTargets: string[];
}

/**
 * PipeCD's secret management and attachments. Paths are relative to the app directory and must stay
 * inside the repository; names are what the placeholders use, so they are checked here.
 */
export function readTemplating(ctx: ReadContext, dir: string, encryption: unknown, attachment: unknown): Templating {
  const enc =
    readObject(ctx, encryption, 'spec.encryption', { encryptedSecrets: z.record(z.string(), z.unknown()), decryptionTargets: z.array(z.string()) }) ?? {};
  const encryptedSecrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(enc.encryptedSecrets ?? {})) {
    const at = fieldPath('spec.encryption.encryptedSecrets', name);
    if (!NAME.test(name)) ctx.issues.error(ctx.check, ctx.file, at, 'must be a name of 1–100 letters, digits, "_" or "-" (the placeholder uses it)');
    else if (typeof value !== 'string' || !BASE64.test(value) || value.length > MAX_CIPHERTEXT_CHARS) {
      ctx.issues.error(ctx.check, ctx.file, at, 'must be the base64 ciphertext that `stepcd encrypt` prints');
    } else encryptedSecrets[name] = value;
  }
  const att = readObject(ctx, attachment, 'spec.attachment', { sources: z.record(z.string(), z.string()), targets: z.array(z.string()) }) ?? {};
  const attachmentSources: Record<string, string> = {};
  for (const [name, file] of Object.entries(att.sources ?? {})) {
    const at = fieldPath('spec.attachment.sources', name);
    if (!NAME.test(name)) {
      ctx.issues.error(ctx.check, ctx.file, at, 'must be a name of 1–100 letters, digits, "_" or "-" (the placeholder uses it)');
      continue;
    }
    const resolved = inRepo(ctx, dir, file, at);
    if (resolved !== undefined) attachmentSources[name] = resolved;
  }
  const targets = (list: string[] | undefined, path: string) =>
    (list ?? []).flatMap((file, i) => {
      const resolved = inRepo(ctx, dir, file, fieldPath(path, i));
      return resolved === undefined ? [] : [resolved];
    });
  const decryptionTargets = targets(enc.decryptionTargets, 'spec.encryption.decryptionTargets');
  const attachmentTargets = targets(att.targets, 'spec.attachment.targets');
  if (Object.keys(encryptedSecrets).length > 0 && decryptionTargets.length === 0 && enc.decryptionTargets === undefined) {
    ctx.issues.error(
      ctx.check,
      ctx.file,
      'spec.encryption.decryptionTargets',
      'is required with encryptedSecrets: it names the files whose placeholders are filled',
    );
  }
  return { encryptedSecrets, decryptionTargets, attachmentSources, attachmentTargets };
}

function inRepo(ctx: ReadContext, dir: string, file: string, path: string): string | undefined {
  const resolved = file === '' ? undefined : resolveInApp(dir, file);
  if (resolved === undefined) ctx.issues.error(ctx.check, ctx.file, path, `${JSON.stringify(file)} must be a relative path inside the repository`);
  return resolved;
}
