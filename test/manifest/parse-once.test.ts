import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/manifest/parse-file.js';
import { parseTriggerSettings } from '../../src/gitops/trigger-settings.js';

// A push parses each app config for its trigger settings, its identity and its plan: one parse.
describe('parseManifestText', () => {
  const text = 'apiVersion: pipecd.dev/v1beta1\nkind: ECSApp\nspec:\n  name: once\n  trigger:\n    onCommit:\n      paths: [shared]\n';

  it('parses a text once and shares the value, frozen so no reader changes another reader’s copy', () => {
    const first = parseManifestText('apps/once/app.pipecd.yaml', text);
    const again = parseManifestText('apps/once/app.pipecd.yaml', text);
    if (!first.ok) throw new Error(JSON.stringify(first));
    expect(again).toBe(first);
    expect(Object.isFrozen((first.value as { spec: object }).spec)).toBe(true);
    expect(() => {
      (first.value as { spec: { name: string } }).spec.name = 'changed';
    }).toThrow(TypeError);
  });

  it('keys the parse by file too: the same text under another name is its own result', () => {
    expect(parseManifestText('apps/other/app.pipecd.yaml', text)).not.toBe(parseManifestText('apps/once/app.pipecd.yaml', text));
  });

  it('the trigger reads its settings from the same parse the planner gets', () => {
    expect(parseTriggerSettings(text, 'apps/once/app.pipecd.yaml')).toMatchObject({ name: 'once', paths: ['shared'] });
  });
});
