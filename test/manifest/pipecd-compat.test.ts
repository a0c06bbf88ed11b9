import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/issues.js';
import { compilePattern, patternProblem } from '../../src/gitops/path-pattern.js';
import { stageEvents } from '../../src/manifest/history-budget.js';
import { imagePolicyReason, parseImageReference } from '../../src/manifest/image-policy.js';
import { loadApp } from '../../src/manifest/index.js';
import { parseManifestText } from '../../src/manifest/parse-file.js';
import { canaryApp, filesOf, type AppFixture } from './fixtures.js';

async function load(mutate: (app: AppFixture) => void) {
  const app = canaryApp();
  mutate(app);
  const result = await loadApp(filesOf(app), 'app.pipecd.yaml');
  const issues = result.ok ? result.warnings : result.issues;
  return { result, errors: issues.filter((i) => i.severity === 'error').map(formatIssue) };
}

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } };

describe('servicedef.yaml as PipeCD users write it', () => {
  it.each<[string, Record<string, unknown>]>([
    [
      'success: launchType FARGATE with platformVersion and an awsvpc network',
      { launchType: 'FARGATE', platformVersion: 'LATEST', networkConfiguration: NETWORK },
    ],
    [
      'success: a capacity provider strategy instead of a launch type',
      { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 1 }], networkConfiguration: NETWORK },
    ],
    [
      'success: serviceRegistries next to an ELB',
      { launchType: 'EC2', serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1' }] },
    ],
  ])('%s is accepted as-is', async (_name, fields) => {
    const { result, errors } = await load((a) => Object.assign(a.service, fields));
    expect(errors).toEqual([]);
    expect(result.ok && result.app.serviceDefinition).toMatchObject(fields);
  });

  it.each<[string, (a: AppFixture) => void, string]>([
    [
      'fail: an unknown launch type',
      (a) => (a.service.launchType = 'LAMBDA'),
      'servicedef.yaml: launchType must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES (got "LAMBDA")',
    ],
    [
      'fail: an awsvpc network without subnets',
      (a) => (a.service.networkConfiguration = { awsvpcConfiguration: { subnets: [] } }),
      'servicedef.yaml: networkConfiguration.awsvpcConfiguration.subnets must list at least one subnet',
    ],
    [
      'fail: a capacity provider weight out of range',
      (a) => (a.service.capacityProviderStrategy = [{ capacityProvider: 'FARGATE', weight: 5000 }]),
      'servicedef.yaml: capacityProviderStrategy[0].weight must be 0–1000',
    ],
    [
      'fail: the CreateService fields wrapped in spec',
      (a) => (a.service = { apiVersion: 'v1', spec: a.service }),
      'servicedef.yaml: must hold the CreateService fields (cluster, serviceName, deploymentController, ...) at its top level, but wraps them in apiVersion, spec; remove the wrapper',
    ],
    [
      'fail: a PipeCD attachment placeholder in the taskdef',
      (a) => (a.task.containerDefinitions[0].command = ['run', '{{ .attachment.config }}']),
      'taskdef.yaml: containerDefinitions[0].command[1] holds "{{ .attachment.config }}": it is an attachment placeholder, but this file is not in spec.attachment.targets, so it would be deployed literally',
    ],
    [
      'fail: an attachment source outside the repository',
      (a) => (a.config.spec.attachment = { sources: { config: '../../../etc/passwd' }, targets: ['taskdef.yaml'] }),
      'app.pipecd.yaml: spec.attachment.sources.config "../../../etc/passwd" must be a relative path inside the repository',
    ],
  ])('%s', async (_name, mutate, message) => {
    const { result, errors } = await load(mutate);
    expect(result.ok).toBe(false);
    expect(errors).toContain(message);
  });

  it('fail: a wrapped servicedef is one error, not a list of missing fields', async () => {
    const { errors } = await load((a) => (a.service = { version: 'v1', spec: a.service }));
    expect(errors.filter((e) => e.startsWith('servicedef.yaml'))).toHaveLength(1);
  });
});

describe('OCI image references and the image policy', () => {
  const policy = { allowMutableTags: false, requireDigest: false };
  it.each([
    ['success: a registry with a port and a tag', 'registry.local:5000/team/web:1.2.3', { name: 'registry.local:5000/team/web', tag: '1.2.3' }],
    [
      'success: ECR with tag and digest',
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0@sha256:${'a'.repeat(64)}`,
      { name: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web', tag: '1.0', digest: `sha256:${'a'.repeat(64)}` },
    ],
    ['success: a Docker Hub short name', 'nginx:1.27', { name: 'nginx', tag: '1.27' }],
  ])('%s parses', (_name, image, ref) => {
    expect(parseImageReference(image)).toEqual({ ok: true, ref });
  });

  it.each(['Web:1', 'web: 1', 'web:1 ', '-web:1', 'web:', 'web@sha256:short', `${'a'.repeat(256)}:1`])('fail: %s is not a reference', (image) => {
    expect(parseImageReference(image).ok).toBe(false);
  });

  it('parses a long crafted name in linear time (RE2), where a backtracking engine would not finish', () => {
    expect(parseImageReference(`${'a-'.repeat(20_000)}!`).ok).toBe(false);
  });

  it.each([
    ['latest', 'uses the mutable tag latest; pin a version tag or digest (or set spec.stepcd.imagePolicy.allowMutableTags: true)'],
    ['Latest', 'uses the mutable tag Latest; pin a version tag or digest (or set spec.stepcd.imagePolicy.allowMutableTags: true)'],
    ['1.0.0', undefined],
  ])('tag %s → %s', (tag, reason) => {
    expect(imagePolicyReason({ name: 'web', tag }, policy)).toBe(reason);
  });

  it('success: a digest pins whatever the tag says, and allowMutableTags allows latest', () => {
    expect(imagePolicyReason({ name: 'web', tag: 'latest', digest: `sha256:${'b'.repeat(64)}` }, policy)).toBeUndefined();
    expect(imagePolicyReason({ name: 'web', tag: 'LATEST' }, { ...policy, allowMutableTags: true })).toBeUndefined();
  });

  it('success: tagPattern admits release tags; fail: it names the tag it refuses', async () => {
    const ok = await load((a) => {
      a.config.spec.stepcd = { imagePolicy: { tagPattern: '^v\\d+\\.\\d+\\.\\d+$' } };
      a.task.containerDefinitions[0].image = 'registry.example.com/web:v1.4.2';
    });
    expect(ok.errors).toEqual([]);
    const bad = await load((a) => (a.config.spec.stepcd = { imagePolicy: { tagPattern: '(?<=v)1' } }));
    expect(bad.errors[0]).toMatch(/^app\.pipecd\.yaml: spec\.stepcd\.imagePolicy\.tagPattern is not a regular expression stepcd can match in linear time/);
  });
});

describe('trigger patterns on RE2', () => {
  it.each([
    ['success: a directory glob covers what is beneath it', 'shared/lib', 'shared/lib/a.ts', true],
    ['success: ** crosses segments', 'docs/**/*.md', 'docs/a/b/c.md', true],
    ['success: * stays in one segment', 'apps/*/README.md', 'apps/a/b/README.md', false],
    ['success: an anchored regular expression', '^services/(api|web)/', 'services/web/main.go', true],
    ['success: a regular expression is searched, as RegExp.test does', 'generated$', 'apps/x/generated', true],
  ])('%s', (_name, pattern, path, matches) => {
    expect(compilePattern(pattern)(path)).toBe(matches);
  });

  it('evaluates (a|aa)+$ against a crafted path in linear time', () => {
    expect(compilePattern('(a|aa)+$')(`apps/${'a'.repeat(5000)}b`)).toBe(false);
  });

  it.each(['^(a)\\1$', '^(?=apps)', '(?<!x)y$'])('fail: %s cannot run in linear time and is refused', (pattern) => {
    expect(patternProblem(pattern)).toMatch(/^is not a pattern stepcd can match in linear time/);
    expect(compilePattern(pattern)('anything')).toBe(false);
  });
});

describe('hostile YAML', () => {
  it.each([
    [
      'an alias bomb',
      'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      /aliases expand too far/,
    ],
    [
      '10,000 levels of flow nesting',
      `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      /invalid YAML at line 1, column \d+: nested too deeply to parse|nested more than 64 levels/,
    ],
    ['a !!binary value', 'a: !!binary aGVsbG8=\n', /holds a typed value/],
    ['a language tag', 'a: !!python/object:os.system x\n', /unknown tag/],
  ])('fail: %s is an issue, never a thrown error', (_name, text, message) => {
    const parsed = parseManifestText('x.yaml', text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('fail: JSON nested 100,000 deep is refused by depth, not by a stack overflow', () => {
    const parsed = parseManifestText('x.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(parsed.ok).toBe(false);
  });
});

describe('Step Functions history budget', () => {
  it('success: an ECS stage costs its task and Route plus one wait slice (and a possible wake) per stabilityBackstop of its stable timeout', () => {
    // 601 s in 300 s slices: 3 slices and the entry that finds the timeout passed, each a callback task (6) and a wake (7).
    expect(stageEvents({ index: 0, name: 'ECS_PRIMARY_ROLLOUT', with: { stableTimeoutSeconds: 600 } }, 300)).toBe(7 + 4 * 13);
    // ANALYSIS is one wait of its whole window however long: the start and the look at the end.
    expect(stageEvents({ index: 0, name: 'ANALYSIS', with: { durationSeconds: 36_000 } as never }, 300)).toBe(7 + 2 * 13);
    // A WAIT is one callback task whatever its length (6), AfterWait (2), and Advance (5) and Route (2) if a wait follows.
    expect(stageEvents({ index: 0, name: 'WAIT', with: { durationSeconds: 600 } }, 15)).toBe(15);
    expect(stageEvents({ index: 0, name: 'WAIT', with: { durationSeconds: 36_000 } }, 15)).toBe(15);
  });

  it('success: the documented examples fit; fail: a long check-heavy pipeline is refused with the limit', async () => {
    expect((await load(() => {})).errors).toEqual([]);
    const { errors } = await load((a) => {
      a.config.spec.stepcd = { stabilityBackstop: '1s' };
      a.config.spec.pipeline.stages = [{ name: 'ECS_PRIMARY_ROLLOUT', with: { stableTimeout: '1h' } }];
    });
    expect(errors).toEqual([
      "app.pipecd.yaml: spec.pipeline.stages could write up to 47964 Step Functions history events (a stability check every 1s until each stage's timeout, a rollback polling every 15s), over the 25000 one execution can hold: at most 0 stages like these fit; use fewer stages, shorter stage timeouts or a longer spec.stepcd.stabilityBackstop (or pollInterval)",
    ]);
  });
});
