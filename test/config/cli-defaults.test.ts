import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pickTarget, readDefaultsFile, resolveTargetChoice, wantsColour } from '../../src/config/cli-defaults.js';
import { ErrorName } from '../../src/errors.js';

describe('pickTarget: flags > environment > .stepcd file', () => {
  const file = { stage: 'file-stage', region: 'eu-north-1', profile: 'file-profile' };

  it.each([
    ['success: the file alone', {}, {}, { stage: 'file-stage', region: 'eu-north-1', profile: 'file-profile' }],
    [
      'success: STEPCD_STAGE and STEPCD_REGION beat the file',
      {},
      { STEPCD_STAGE: 'env-stage', STEPCD_REGION: 'us-west-2' },
      { stage: 'env-stage', region: 'us-west-2', profile: 'file-profile' },
    ],
    [
      "success: the SDK's AWS_REGION is environment too, below STEPCD_REGION",
      {},
      { AWS_REGION: 'ap-south-1' },
      { stage: 'file-stage', region: 'ap-south-1', profile: 'file-profile' },
    ],
    [
      'success: STEPCD_REGION beats AWS_REGION',
      {},
      { STEPCD_REGION: 'us-west-2', AWS_REGION: 'ap-south-1' },
      { stage: 'file-stage', region: 'us-west-2', profile: 'file-profile' },
    ],
    ['success: AWS_PROFILE set leaves the profile to the SDK', {}, { AWS_PROFILE: 'shell' }, { stage: 'file-stage', region: 'eu-north-1' }],
    [
      'success: flags beat both',
      { stage: 'flag-stage', region: 'eu-west-1', profile: 'flag-profile' },
      { STEPCD_STAGE: 'env-stage', STEPCD_REGION: 'us-west-2', AWS_PROFILE: 'shell' },
      { stage: 'flag-stage', region: 'eu-west-1', profile: 'flag-profile' },
    ],
    [
      'success: an empty variable counts as unset',
      {},
      { STEPCD_STAGE: '', STEPCD_REGION: '' },
      { stage: 'file-stage', region: 'eu-north-1', profile: 'file-profile' },
    ],
  ])('%s', (_name, flags, env, expected) => {
    expect(pickTarget(flags, env, file)).toEqual(expected);
  });

  it('success: nothing anywhere is no target at all', () => {
    expect(pickTarget({}, {}, {})).toEqual({});
  });
});

describe('resolveTargetChoice and the .stepcd file', () => {
  let root: string;
  let nested: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'stepcd-defaults-'));
    nested = join(root, 'apps', 'canary');
    await mkdir(nested, { recursive: true });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('success: finds the file in the nearest parent folder', async () => {
    await writeFile(join(root, '.stepcd'), 'stage: prod\nregion: eu-west-1\nprofile: ops\n');

    const choice = await resolveTargetChoice({}, {}, nested);

    expect(choice).toEqual({ stage: 'prod', region: 'eu-west-1', profile: 'ops' });
  });

  it('success: the nearest file wins over one further up', async () => {
    await writeFile(join(root, '.stepcd'), 'stage: prod\nregion: eu-west-1\n');
    await writeFile(join(root, 'apps', '.stepcd'), 'stage: staging\n');

    const choice = await resolveTargetChoice({}, {}, nested);

    expect(choice).toEqual({ stage: 'staging' });
  });

  it('success: a .stepcd folder (the local stack state) is skipped, and the search goes on up', async () => {
    await writeFile(join(root, '.stepcd'), 'stage: prod\n');
    await mkdir(join(nested, '.stepcd'));
    await writeFile(join(nested, '.stepcd', 'local.json'), '{}');

    expect(await resolveTargetChoice({}, {}, nested)).toEqual({ stage: 'prod' });
  });

  it('success: --local takes no default from the environment or the file', async () => {
    await writeFile(join(root, '.stepcd'), 'stage: prod\nregion: eu-west-1\n');

    const choice = await resolveTargetChoice({ local: true }, { STEPCD_STAGE: 'env-stage', STEPCD_REGION: 'us-west-2' }, nested);

    expect(choice).toEqual({ local: true });
  });

  it('success: the environment beats the file, and flags beat the environment', async () => {
    await writeFile(join(root, '.stepcd'), 'stage: prod\nregion: eu-west-1\nprofile: ops\n');

    const choice = await resolveTargetChoice({ region: 'ca-central-1' }, { STEPCD_STAGE: 'dev', STEPCD_REGION: 'us-west-2' }, nested);

    expect(choice).toEqual({ stage: 'dev', region: 'ca-central-1', profile: 'ops' });
  });

  it('success: no file anywhere up to the root is no defaults', async () => {
    expect(await readDefaultsFile(nested)).toBeUndefined();
  });

  it('success: an empty file is no defaults', async () => {
    await writeFile(join(root, '.stepcd'), '');

    expect((await readDefaultsFile(nested))?.values).toEqual({});
  });

  it.each([
    ['a misspelt key', 'stgae: prod\n', /stgae/],
    ['a key that is not a string', 'stage: [prod]\n', /stage/],
    ['YAML that does not parse', 'stage: [prod\n', /not valid YAML/],
    ['a list instead of keys', '- prod\n', /\.stepcd/],
  ])('fail: %s is a config error naming the file', async (_name, text, pattern) => {
    await writeFile(join(root, '.stepcd'), text);

    const read = resolveTargetChoice({}, {}, nested);

    await expect(read).rejects.toMatchObject({ name: ErrorName.Config, message: expect.stringMatching(pattern) });
    await expect(read).rejects.toMatchObject({ message: expect.stringContaining(join(root, '.stepcd')) });
  });
});

describe('wantsColour', () => {
  it.each([
    ['success: a terminal', {}, true, true],
    ['success: not a terminal', {}, false, false],
    ['success: NO_COLOR set on a terminal', { NO_COLOR: '1' }, true, false],
    ['success: NO_COLOR empty counts as unset', { NO_COLOR: '' }, true, true],
  ])('%s', (_name, env, isTTY, expected) => {
    expect(wantsColour(env, isTTY)).toBe(expected);
  });
});
