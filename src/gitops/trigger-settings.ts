import { parseManifestText } from '../manifest/parse-file.js';
import type { TriggerSettings } from '../domain/trigger-settings.js';

/**
 * Pure and lenient. The trigger must work even when the rest of the manifest is invalid, so that an
 * invalid app is reported as TRIGGER_FAILED rather than silently skipped; full validation is
 * src/manifest's job.
 */
export function parseTriggerSettings(text: string | undefined, configPath = 'app.pipecd.yaml'): TriggerSettings {
  // The planner parses the same text the same way, so the parse is shared (src/manifest/parse-file.ts).
  const parsed = text === undefined ? undefined : parseManifestText(configPath, text);
  const doc = parsed?.ok ? parsed.value : undefined;
  const spec = field(doc, 'spec');
  const onCommit = field(field(spec, 'trigger'), 'onCommit');
  const input = field(spec, 'input');
  // PipeCD defaults: taskdef.json; no service definition means a standalone task.
  const serviceDef = field(input, 'serviceDefinitionFile');
  const name = field(spec, 'name');
  return {
    ...(typeof name === 'string' && name ? { name } : {}),
    definitionNames: [
      stringOr(field(input, 'taskDefinitionFile'), 'taskdef.json'),
      ...(typeof serviceDef === 'string' && serviceDef.length > 0 ? [serviceDef] : []),
    ],
    paths: strings(field(onCommit, 'paths')),
    ignores: strings(field(onCommit, 'ignores')),
  };
}

/** Checks a value read back from a cache, so a malformed entry is treated as a miss, not trusted. */
export function isTriggerSettings(value: unknown): value is TriggerSettings {
  const v = value as Partial<TriggerSettings> | null;
  const isStrings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  return (
    v !== null &&
    typeof v === 'object' &&
    (v.name === undefined || typeof v.name === 'string') &&
    isStrings(v.definitionNames) &&
    isStrings(v.paths) &&
    isStrings(v.ignores)
  );
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}
