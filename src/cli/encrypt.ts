import { localClientConfig, type AwsClientConfig } from '../aws/client-config.js';
import { createKmsCipher } from '../aws/kms.js';
import { CliError } from './errors.js';
import { readLocalEndpoints } from './local-state.js';
import type { CliIo, Output } from './output.js';
import type { TargetFlags } from './context.js';

/** The alias serverless.yml gives the stack's key; the local cloud's stand-in answers to its own. */
export const stackKeyAlias = (stage: string) => `alias/stepcd-${stage}`;
const LOCAL_KEY_ALIAS = 'alias/stepcd-local';
/** KMS encrypts at most 4 KB. */
const MAX_PLAINTEXT_BYTES = 4096;

/**
 * `stepcd encrypt --stage S` (or `--local`): encrypts the value on stdin with the stack's KMS key and
 * prints the ciphertext for spec.encryption.encryptedSecrets. The value is never echoed; a trailing
 * newline (from `echo`) is dropped, as PipeCD's encrypt does unless asked.
 */
export async function encryptCommand(flags: TargetFlags, out: Output, io: CliIo): Promise<number> {
  const { config, keyId } = await keyTarget(flags, io);
  const value = (await readAll(io)).replace(/\r?\n$/, '');
  if (value === '')
    throw new CliError('nothing to encrypt: pipe the value in', { hint: 'printf \'%s\' "$DB_PASSWORD" | stepcd encrypt --stage prod', exitCode: 2 });
  if (Buffer.byteLength(value) > MAX_PLAINTEXT_BYTES)
    throw new CliError(`the value is over ${MAX_PLAINTEXT_BYTES} bytes, the most KMS encrypts`, { exitCode: 2 });
  const cipher = createKmsCipher(config, keyId);
  try {
    const ciphertext = await cipher.encrypt(value);
    out.data({ keyId, ciphertext });
    out.line(ciphertext);
    return 0;
  } finally {
    cipher.close();
  }
}

async function keyTarget(flags: TargetFlags, io: CliIo): Promise<{ config: AwsClientConfig; keyId: string }> {
  if (flags.local) {
    const local = await readLocalEndpoints(io.cwd);
    return { config: localClientConfig(local.awsUrl, 3, 'cli'), keyId: LOCAL_KEY_ALIAS };
  }
  if (!flags.stage)
    throw new CliError('no target: say whose key to encrypt with', {
      hint: 'pass --stage <name> (AWS) or --local, or set STEPCD_STAGE or stage: in a .stepcd file',
      exitCode: 2,
    });
  const region = flags.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!region) throw new CliError('no AWS region', { hint: 'pass --region or set AWS_REGION', exitCode: 2 });
  if (flags.profile) process.env.AWS_PROFILE = flags.profile;
  return { config: { region }, keyId: stackKeyAlias(flags.stage) };
}

async function readAll(io: CliIo): Promise<string> {
  if (!io.stdin) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
