import type { AwsRequest, AwsResponse, ServiceHandler } from '../aws-server.js';
import { canonicalContext, keyIdOf, open, seal } from './cipher.js';

const TARGET_PREFIX = 'TrentService.';
const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.1' };
/** KMS's limit on Encrypt's plaintext. */
const MAX_PLAINTEXT_BYTES = 4096;

export interface LocalKey {
  keyId: string;
  arn: string;
  alias: string;
  material: Buffer;
}

type Body = Record<string, unknown>;

class KmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * KMS on the local cloud's AWS port (awsJson1_1, `TrentService.*`): Encrypt and Decrypt with one
 * symmetric key, and the errors KMS gives for an unknown key, a wrong key, a changed blob or context.
 */
export function kmsServiceHandler(key: LocalKey, calls: string[]): ServiceHandler {
  return async function handleKms(req: AwsRequest): Promise<AwsResponse | undefined> {
    if (!req.target?.startsWith(TARGET_PREFIX)) return undefined;
    const operation = req.target.slice(TARGET_PREFIX.length);
    calls.push(operation);
    try {
      const body = JSON.parse(req.body || '{}') as Body;
      if (operation === 'Encrypt') return ok(encrypt(key, body));
      if (operation === 'Decrypt') return ok(decrypt(key, body));
      throw new KmsError('UnsupportedOperationException', `${operation} is not supported by the local KMS`);
    } catch (err) {
      if (err instanceof KmsError) return { status: 400, headers: JSON_HEADERS, body: JSON.stringify({ __type: err.code, message: err.message }) };
      if (err instanceof SyntaxError)
        return { status: 400, headers: JSON_HEADERS, body: JSON.stringify({ __type: 'SerializationException', message: err.message }) };
      throw err;
    }
  };
}

function encrypt(key: LocalKey, body: Body): Body {
  requireKey(key, body.KeyId, true);
  const plaintext = blob(body.Plaintext, 'Plaintext');
  if (plaintext.length < 1 || plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new KmsError(
      'ValidationException',
      `1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and ${MAX_PLAINTEXT_BYTES}`,
    );
  }
  const sealed = seal(key.material, key.keyId, canonicalContext(context(body)), plaintext);
  return { CiphertextBlob: sealed.toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
}

function decrypt(key: LocalKey, body: Body): Body {
  const sealed = blob(body.CiphertextBlob, 'CiphertextBlob');
  const named = keyIdOf(sealed);
  if (named === undefined) throw new KmsError('InvalidCiphertextException', '');
  if (body.KeyId !== undefined) requireKey(key, body.KeyId, false);
  if (named !== key.keyId) throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  const plaintext = open(key.material, key.keyId, canonicalContext(context(body)), sealed);
  if (!plaintext) throw new KmsError('InvalidCiphertextException', '');
  return { Plaintext: plaintext.toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
}

/** The key by id, ARN, alias name or alias ARN; anything else is NotFoundException. */
function requireKey(key: LocalKey, ref: unknown, required: boolean): void {
  if (ref === undefined && !required) return;
  if (typeof ref !== 'string' || ref === '') throw new KmsError('ValidationException', 'KeyId is required');
  const aliasArn = key.arn.replace(/:key\/.*/, `:${key.alias}`);
  if (![key.keyId, key.arn, key.alias, aliasArn].includes(ref)) {
    throw new KmsError('NotFoundException', `Key '${ref}' does not exist`);
  }
}

function blob(value: unknown, field: string): Buffer {
  if (typeof value !== 'string') throw new KmsError('ValidationException', `${field} is required`);
  return Buffer.from(value, 'base64');
}

function context(body: Body): Record<string, string> | undefined {
  const value = body.EncryptionContext;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new KmsError('ValidationException', 'EncryptionContext must map strings to strings');
  }
  return value as Record<string, string>;
}

function ok(body: Body): AwsResponse {
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(body) };
}
