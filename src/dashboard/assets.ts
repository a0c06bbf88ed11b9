import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The only files the dashboard serves: npm's htmx and idiomorph, and its own script and styles. */
const FILES: Record<string, { path: string; type: string }> = {
  'htmx.min.js': { path: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'idiomorph-ext.min.js': { path: require.resolve('idiomorph/dist/idiomorph-ext.min.js'), type: 'text/javascript; charset=utf-8' },
  'dashboard.js': { path: fileURLToPath(new URL('./assets/dashboard.js', import.meta.url)), type: 'text/javascript; charset=utf-8' },
  'dashboard.css': { path: fileURLToPath(new URL('./assets/dashboard.css', import.meta.url)), type: 'text/css; charset=utf-8' },
};

const cache = new Map<string, Promise<string>>();

/** An asset's text and content type, read once; undefined for any other name. */
export async function readAsset(name: string): Promise<{ body: string; type: string } | undefined> {
  const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
  if (!file) return undefined;
  let body = cache.get(name);
  if (!body) {
    body = readFile(file.path, 'utf8');
    cache.set(name, body);
  }
  return { body: await body, type: file.type };
}
