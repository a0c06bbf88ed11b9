import { describe, expect, it } from 'vitest';
import { locatePath, pathSegments } from '../../src/manifest/positions.js';

const YAML = [
  'apiVersion: pipecd.dev/v1beta1', // 1
  'kind: ECSApp', // 2
  'spec:', // 3
  '  pipeline:', // 4
  '    stages:', // 5
  '      - name: ECS_CANARY_ROLLOUT', // 6
  '        with:', // 7
  '          scale: 200%', // 8
  '      - name: WAIT', // 9
  '',
].join('\n');

describe('locatePath', () => {
  it.each([
    ['success: a scalar field points at its key', 'spec.pipeline.stages[0].with.scale', { line: 8, column: 11 }],
    ['success: a list item points at the item', 'spec.pipeline.stages[1]', { line: 9, column: 9 }],
    ['success: a missing field points at the deepest parent that exists', 'spec.pipeline.stages[1].with.duration', { line: 9, column: 9 }],
    ['success: an index past the end points at the list key', 'spec.pipeline.stages[7].name', { line: 5, column: 5 }],
    ['success: an empty path is the document start', '', { line: 1, column: 1 }],
  ])('%s', (_name, path, expected) => {
    expect(locatePath(YAML, path)).toEqual(expected);
  });

  it('reads JSON as YAML 1.2 does', () => {
    expect(locatePath('{\n  "deploymentController": {\n    "type": "ECS"\n  }\n}\n', 'deploymentController.type')).toEqual({ line: 3, column: 5 });
  });

  it('splits a field path into keys and indices', () => {
    expect(pathSegments('containerDefinitions[0].portMappings[12].containerPort')).toEqual(['containerDefinitions', 0, 'portMappings', 12, 'containerPort']);
  });
});
