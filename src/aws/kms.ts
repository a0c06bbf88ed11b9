import { AwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import { callJsonRpc } from './json-rpc.js';

/** Encrypts with and decrypts under one KMS key (the stack's), base64 blobs in and out. */
export interface KmsCipher {
  encrypt(plaintext: string): Promise<string>;
  decrypt(ciphertextBase64: string): Promise<string>;
  close(): void;
}

/**
 * KMS Encrypt and Decrypt as signed JSON-RPC calls (blobs travel base64 in the JSON, as the wire
 * protocol has them): @aws-sdk/client-kms added 28 KB and ~5% of the stage function's cold import
 * for these two operations. Errors name the key, never the value.
 */
export function createKmsCipher(config: AwsClientConfig, keyId: string): KmsCipher {
  const call = <T>(operation: 'Encrypt' | 'Decrypt', doing: string, input: object) =>
    callJsonRpc<T>({ service: 'kms', target: `TrentService.${operation}`, config, input, doing: `${doing} KMS key ${keyId}` });
  return {
    async encrypt(plaintext) {
      const input = { KeyId: keyId, Plaintext: Buffer.from(plaintext, 'utf8').toString('base64') };
      const out = await call<{ CiphertextBlob?: string }>('Encrypt', 'encrypting with', input);
      if (!out.CiphertextBlob) throw new AwsError('KMS Encrypt returned no ciphertext');
      return out.CiphertextBlob;
    },
    async decrypt(ciphertextBase64) {
      // KeyId pins the key: a blob made under any other key is refused (IncorrectKeyException).
      const out = await call<{ Plaintext?: string }>('Decrypt', 'decrypting with', { KeyId: keyId, CiphertextBlob: ciphertextBase64 });
      if (out.Plaintext === undefined) throw new AwsError('KMS Decrypt returned no plaintext');
      return Buffer.from(out.Plaintext, 'base64').toString('utf8');
    },
    // Nothing to release: the signed requests share one keep-alive handler for the process.
    close: () => undefined,
  };
}
