import { parseDocument } from 'yaml';
import type { ManifestIssue } from '../errors.js';
import { locateJsonError } from './json-error.js';

export type ParsedFile = { ok: true; value: unknown } | { ok: false; issues: ManifestIssue[] };

/**
 * Parses one manifest file, JSON when its name ends in `.json`, YAML otherwise. Syntax errors become
 * issues carrying the line and column instead of exceptions, all of them at once for YAML.
 */
export function parseManifestText(file: string, text: string): ParsedFile {
  return file.toLowerCase().endsWith('.json') ? parseJson(file, text) : parseYaml(file, text);
}

function parseJson(file: string, text: string): ParsedFile {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const where = locateJsonError(text);
    const message = where
      ? `invalid JSON at line ${where.line}, column ${where.column}: ${where.message}`
      : `invalid JSON: ${(err as Error).message}`;
    return { ok: false, issues: [{ file, path: '', message, severity: 'error' }] };
  }
}

function parseYaml(file: string, text: string): ParsedFile {
  // uniqueKeys (the default) makes duplicate keys errors: silently taking the last one hides typos.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e): ManifestIssue => {
      const pos = e.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      const reason = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
      return { file, path: '', message: `invalid YAML${where}: ${reason}`, severity: 'error' };
    });
    return { ok: false, issues };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
}
