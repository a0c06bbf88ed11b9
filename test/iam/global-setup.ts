import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_LOG_DIR_ENV } from './support/call-log.js';

let owned: string | undefined;

/**
 * A fresh call-log directory for the run, in the environment every worker inherits. Each project
 * runs this setup; the first one creates the directory and the later ones share it.
 */
export async function setup(): Promise<void> {
  if (process.env[CALL_LOG_DIR_ENV]) return;
  owned = await mkdtemp(join(tmpdir(), 'stepcd-iam-calls-'));
  process.env[CALL_LOG_DIR_ENV] = owned;
}

export async function teardown(): Promise<void> {
  if (!owned) return;
  await rm(owned, { recursive: true, force: true });
  delete process.env[CALL_LOG_DIR_ENV];
  owned = undefined;
}
