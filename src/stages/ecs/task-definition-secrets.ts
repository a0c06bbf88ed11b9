import type { DeploymentPlan } from '../../domain/plan.js';
import { ConfigError, InvalidManifestError, StepcdError } from '../../errors.js';
import type { StagePorts } from '../ports.js';

const SECRET = /\{\{\s*\.encryptedSecrets\.([A-Za-z0-9_-]{1,100})\s*\}\}/g;

/**
 * The task definition to register, with its `{{ .encryptedSecrets.<name> }}` filled from KMS. Only
 * the names it uses are decrypted; the plaintext exists only in the value returned (sent to
 * RegisterTaskDefinition) and is never logged, stored or put in an error message.
 */
export async function withSecrets(plan: DeploymentPlan, ports: StagePorts): Promise<Record<string, unknown>> {
  const used = new Set<string>();
  walk(plan.taskDefinition, (text) => {
    for (const m of text.matchAll(SECRET)) used.add(m[1] as string);
    return text;
  });
  if (used.size === 0) return plan.taskDefinition;
  const ciphertexts = plan.encryptedSecrets ?? {};
  if (!ports.secrets)
    throw new ConfigError('the task definition uses encrypted secrets, but the stage function has no KMS key configured (STEPCD_KMS_KEY_ARN)');
  const plain = new Map<string, string>();
  for (const name of used) {
    const ciphertext = ciphertexts[name];
    if (ciphertext === undefined) throw manifestError(plan, `spec.encryption.encryptedSecrets`, `has no secret named ${name}`);
    try {
      plain.set(name, await ports.secrets.decrypt(ciphertext));
    } catch (err) {
      if (err instanceof StepcdError && err.retryable) throw err;
      // The cause names the key and KMS's error code only; the ciphertext and plaintext stay out.
      const code = (err as { cause?: { name?: string } }).cause?.name ?? (err as Error).name;
      throw manifestError(
        plan,
        `spec.encryption.encryptedSecrets.${name}`,
        `cannot be decrypted (${code}): encrypt it again with \`stepcd encrypt\` for this stack`,
        `cannot decrypt spec.encryption.encryptedSecrets.${name} (${code}): encrypt it again with \`stepcd encrypt\` for this stack`,
      );
    }
  }
  return walk(plan.taskDefinition, (text) => text.replace(SECRET, (found, name: string) => plain.get(name) ?? found)) as Record<string, unknown>;
}

/** The issue names the app's directory (which holds its config) and the field. */
function manifestError(plan: DeploymentPlan, path: string, problem: string, message = `${path} ${problem}`): InvalidManifestError {
  return new InvalidManifestError([{ file: plan.app.dir, path, message: problem, severity: 'error' }], { message });
}

function walk(value: unknown, onString: (text: string) => string): unknown {
  if (typeof value === 'string') return onString(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, onString));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, onString)]));
  return value;
}
