import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceHandler } from '../aws-server.js';
import { kmsServiceHandler, type LocalKey } from './handler.js';

export const LOCAL_KMS_KEY_ID = '00000000-0000-4000-8000-00000000cafe';
export const LOCAL_KMS_ALIAS = 'alias/stepcd-local';

/** The local stand-in for the stack's KMS key: one symmetric key, Encrypt and Decrypt only. */
export interface LocalKms {
  handler: ServiceHandler;
  /** The key's ARN: what the stage function is configured with, as on AWS. */
  keyArn: string;
  alias: string;
  /** Operation names in the order they were called. */
  calls: string[];
}

/**
 * `keyFile` keeps the key material across restarts (`stepcd local` on disk), so values encrypted for
 * a local repository stay decryptable; without it the key lives and dies with the process.
 */
export function createLocalKms(opts: { region: string; account: string; keyFile?: string }): LocalKms {
  const arn = `arn:aws:kms:${opts.region}:${opts.account}:key/${LOCAL_KMS_KEY_ID}`;
  const key: LocalKey = { keyId: LOCAL_KMS_KEY_ID, arn, alias: LOCAL_KMS_ALIAS, material: material(opts.keyFile) };
  const calls: string[] = [];
  return { handler: kmsServiceHandler(key, calls), keyArn: arn, alias: LOCAL_KMS_ALIAS, calls };
}

function material(keyFile: string | undefined): Buffer {
  if (!keyFile) return randomBytes(32);
  try {
    const stored = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    if (stored.length === 32) return stored;
  } catch {
    // No key yet: make one below.
  }
  const fresh = randomBytes(32);
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, fresh.toString('base64'), { mode: 0o600 });
  return fresh;
}
