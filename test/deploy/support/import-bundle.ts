import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where a function's bundle sits in its zip: serverless.yml builds CommonJS, `handler.cjs`. */
export const bundleEntry = (name: string): string => `functions/${name}/handler.cjs`;

/**
 * For a script a fresh Node process runs: `loadBundle(file)` loads the real file as the Lambda
 * runtime does (`require` for `.cjs`, `import()` for `.mjs`; not `node -e`).
 */
export const LOAD_BUNDLE = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const loadBundle = async (file) => (file.endsWith('.cjs') ? createRequire(import.meta.url)(file) : import(pathToFileURL(file).href));
`;

/** The check a fresh Node process runs on a bundle: load it and demand a `handler` function. */
const CHECK_SCRIPT = `${LOAD_BUNDLE}
const mod = await loadBundle(process.argv[2]);
if (typeof mod.handler !== 'function') {
  console.error('module has no exported handler function; exports: ' + Object.keys(mod).join(', '));
  process.exit(2);
}
// Exit explicitly: middy's secret cache keeps a refresh timer, which would hold the process open.
process.exit(0);
`;

export async function writeCheckScript(dir: string): Promise<string> {
  const file = join(dir, 'check-handler.mjs');
  await writeFile(file, CHECK_SCRIPT);
  return file;
}

export async function extractTo(dir: string, name: string, contents: Buffer): Promise<string> {
  const file = join(dir, name);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, contents);
  return file;
}

/** Rejects with the child's output when the import fails or the module exports no handler. */
export async function importHandler(checkScript: string, bundle: string, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(process.execPath, [checkScript, bundle], { env, timeout: 60_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`importing ${bundle} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
  }
}
