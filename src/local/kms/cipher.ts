import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The local key's sealing: AES-256-GCM over the plaintext, with the key id and the encryption context
 * as associated data, so a blob decrypts only under the key and context it was made with (as KMS's).
 * Blob layout: magic "SCK1" | key id length (1 byte) | key id | 12-byte IV | 16-byte tag | ciphertext.
 */
const MAGIC = Buffer.from('SCK1');

export function seal(key: Buffer, keyId: string, context: string, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${keyId}\n${context}`));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const id = Buffer.from(keyId);
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id, iv, cipher.getAuthTag(), body]);
}

/** The key id a blob names, or undefined when it is not one of ours. */
export function keyIdOf(blob: Buffer): string | undefined {
  if (blob.length < MAGIC.length + 1 || !blob.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = blob[MAGIC.length] as number;
  if (blob.length < MAGIC.length + 1 + length + 28) return undefined;
  return blob.subarray(MAGIC.length + 1, MAGIC.length + 1 + length).toString();
}

/** The plaintext, or undefined when the blob was altered or sealed under another key or context. */
export function open(key: Buffer, keyId: string, context: string, blob: Buffer): Buffer | undefined {
  const start = MAGIC.length + 1 + Buffer.byteLength(keyId);
  const iv = blob.subarray(start, start + 12);
  const tag = blob.subarray(start + 12, start + 28);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(`${keyId}\n${context}`));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(start + 28)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** KMS binds a context by its pairs, not their order. */
export function canonicalContext(context: Record<string, string> | undefined): string {
  return JSON.stringify(Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
