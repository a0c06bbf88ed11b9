import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

/** The file a project keeps its usual target in, found in the current folder or the nearest parent. */
export const DEFAULTS_FILE = '.stepcd';

type Env = Record<string, string | undefined>;

/** The flags that pick an AWS stack; `local` picks the local one and then nothing else applies. */
export interface TargetChoice {
  local?: boolean;
  stage?: string;
  region?: string;
  profile?: string;
}

// Strict, so a typo (`stgae:`) is an error instead of a silently ignored default.
const DefaultsFile = z.strictObject({
  stage: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
});
export type DefaultsFile = z.infer<typeof DefaultsFile>;

/**
 * The target a CLI command acts on: flags first, then the environment (`STEPCD_STAGE`, `STEPCD_REGION`,
 * then the SDK's own `AWS_REGION`/`AWS_DEFAULT_REGION` and `AWS_PROFILE`), then the `.stepcd` file.
 * `--local` takes none of them: a stage left in a shell or a file must never redirect a local command.
 */
export async function resolveTargetChoice(flags: TargetChoice, env: Env, cwd: string): Promise<TargetChoice> {
  if (flags.local) return flags;
  const file = await readDefaultsFile(cwd);
  return pickTarget(flags, env, file?.values ?? {});
}

/** The precedence alone, pure: flags > environment > file. */
export function pickTarget(flags: TargetChoice, env: Env, file: DefaultsFile): TargetChoice {
  const stage = flags.stage ?? nonEmpty(env.STEPCD_STAGE) ?? file.stage;
  const region = flags.region ?? nonEmpty(env.STEPCD_REGION) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? file.region;
  // With AWS_PROFILE set and no flag, the SDK reads AWS_PROFILE itself: the file must not override it.
  const profile = flags.profile ?? (nonEmpty(env.AWS_PROFILE) ? undefined : file.profile);
  return { ...(stage ? { stage } : {}), ...(region ? { region } : {}), ...(profile ? { profile } : {}) };
}

/** The nearest `.stepcd` file at or above `cwd`, parsed; a `.stepcd/` folder (what `stepcd local` keeps) is skipped. */
export async function readDefaultsFile(cwd: string): Promise<{ path: string; values: DefaultsFile } | undefined> {
  const path = await findDefaultsFile(cwd);
  if (!path) return undefined;
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const parsed = DefaultsFile.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ConfigError(`${path}: ${where}${issue?.message ?? 'invalid'} (it may hold stage, region and profile, each a string)`);
  }
  return { path, values: parsed.data };
}

async function findDefaultsFile(cwd: string): Promise<string | undefined> {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, DEFAULTS_FILE);
    if (await isFile(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Colour only on a terminal and never when NO_COLOR is set to anything but empty (no-color.org). */
export function wantsColour(env: Env, isTTY: boolean): boolean {
  return isTTY && !nonEmpty(env.NO_COLOR);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value ? value : undefined;
}
