import { describe, expect, it } from 'vitest';
import { diffTrees, type TreeEntry } from '../../src/gitops/tree-diff.js';

const blob = (path: string, sha: string, mode = '100644'): TreeEntry => ({ path, type: 'blob', mode, sha });
const dir = (path: string, sha: string): TreeEntry => ({ path, type: 'tree', mode: '040000', sha });

describe('diffTrees', () => {
  const base = [dir('apps', 't1'), blob('apps/a.yaml', '1'), blob('apps/b.yaml', '2'), blob('run.sh', '3')];

  it.each<[string, TreeEntry[], string[]]>([
    ['success: identical trees differ nowhere', base, []],
    ['success: a changed blob', [dir('apps', 't2'), blob('apps/a.yaml', '9'), blob('apps/b.yaml', '2'), blob('run.sh', '3')], ['apps/a.yaml']],
    [
      'success: an added and a removed file',
      [dir('apps', 't2'), blob('apps/a.yaml', '1'), blob('apps/c.yaml', '4'), blob('run.sh', '3')],
      ['apps/b.yaml', 'apps/c.yaml'],
    ],
    [
      'success: a rename gives both paths',
      [dir('apps', 't2'), blob('apps/a.yaml', '1'), blob('apps/renamed.yaml', '2'), blob('run.sh', '3')],
      ['apps/b.yaml', 'apps/renamed.yaml'],
    ],
    ['success: a mode change alone counts', [...base.slice(0, 3), blob('run.sh', '3', '100755')], ['run.sh']],
    ['success: a directory entry alone never shows', [dir('apps', 'other'), ...base.slice(1)], []],
    ['success: a submodule moving to another commit counts', [...base, { path: 'vendor/lib', type: 'commit', mode: '160000', sha: 'c1' }], ['vendor/lib']],
  ])('%s', (_name, head, expected) => {
    expect(diffTrees(base, head)).toEqual(expected);
  });

  it('success: against an empty base (a root commit) lists every file', () => {
    expect(diffTrees([], base)).toEqual(['apps/a.yaml', 'apps/b.yaml', 'run.sh']);
  });
});
