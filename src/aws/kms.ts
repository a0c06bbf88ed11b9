import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { AwsError, wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';

/** Encrypts with and decrypts under one KMS key (the stack's), base64 blobs in and out. */
export interface KmsCipher {
  encrypt(plaintext: string): Promise<string>;
  decrypt(ciphertextBase64: string): Promise<string>;
  close(): void;
}

export function createKmsCipher(config: AwsClientConfig, keyId: string): KmsCipher {
  const client = new KMSClient(config);
  return {
    async encrypt(plaintext) {
      try {
        const out = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext, 'utf8') }));
        if (!out.CiphertextBlob) throw new AwsError('KMS Encrypt returned no ciphertext');
        return Buffer.from(out.CiphertextBlob).toString('base64');
      } catch (err) {
        // The message names the key, never the value (wrapAwsError passes a StepcdError through).
        throw wrapAwsError(`encrypting with KMS key ${keyId}`, err);
      }
    },
    async decrypt(ciphertextBase64) {
      try {
        // KeyId pins the key: a blob made under any other key is refused (IncorrectKeyException).
        const out = await client.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: Buffer.from(ciphertextBase64, 'base64') }));
        if (!out.Plaintext) throw new AwsError('KMS Decrypt returned no plaintext');
        return Buffer.from(out.Plaintext).toString('utf8');
      } catch (err) {
        throw wrapAwsError(`decrypting with KMS key ${keyId}`, err);
      }
    },
    close: () => client.destroy(),
  };
}
