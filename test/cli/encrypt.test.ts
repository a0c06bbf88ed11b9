import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKmsCipher } from '../../src/aws/kms.js';
import { endpointsOf, writeLocalEndpoints } from '../../src/cli/local-state.js';
import { createLogger } from '../../src/logging.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { json, runCli } from './support.js';

/** `stepcd encrypt --local`: the value on stdin, encrypted with the local stack's key, decryptable by it alone. */
describe('stepcd encrypt', () => {
  let h: StackHarness;
  let cwd: string;

  beforeAll(async () => {
    h = await startStackHarness({ logger: createLogger('test', { logLevel: 'SILENT' }) });
    cwd = await mkdtemp(join(tmpdir(), 'stepcd-encrypt-'));
    await writeLocalEndpoints(cwd, endpointsOf(h.stack, { repoDir: h.repoDir, pid: process.pid }));
  });
  afterAll(async () => {
    await h?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('success: prints a ciphertext of the value (its trailing newline dropped) that the stack key decrypts, and never the value', async () => {
    const r = await runCli(['encrypt', '--local', '--json'], { cwd, stdin: 's3cret-value\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('s3cret-value');
    const { ciphertext } = json<{ ciphertext: string }>(r);
    const cipher = createKmsCipher(h.stack.cloud.clientConfigs.ecs, h.stack.cloud.kms.keyArn);
    try {
      expect(await cipher.decrypt(ciphertext)).toBe('s3cret-value');
    } finally {
      cipher.close();
    }
    const encrypts = h.stack.cloud.calls.calls.filter((c) => c.operation === 'Encrypt');
    expect(encrypts.map((c) => [c.principal, c.input.KeyId])).toEqual([['cli', h.stack.cloud.kms.alias]]);
  });

  it('fail: nothing on stdin is a usage error, and no KMS call is made', async () => {
    const before = h.stack.cloud.calls.calls.length;
    const r = await runCli(['encrypt', '--local'], { cwd, stdin: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to encrypt: pipe the value in');
    expect(h.stack.cloud.calls.calls.slice(before).filter((c) => c.service === 'kms')).toEqual([]);
  });
});
