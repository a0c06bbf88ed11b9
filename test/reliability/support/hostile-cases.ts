import { parse, stringify } from 'yaml';
import { brokenApp, type AppDocs } from './manifest-cases.js';

/** A file that is not plain text: raw bytes, or a symlink to `target`. */
export type SpecialFile = { bytes: Buffer } | { symlink: string };

export interface HostileCase {
  name: string;
  /** The app directories this case writes (its first one is `dir`; a second app is `<dir>-b`). */
  build(
    example: Record<string, string>,
    dir: string,
  ): {
    files: Record<string, string>;
    special?: Record<string, SpecialFile>;
    /** Per app config path, the exact `file: field message` lines its TRIGGER_FAILED reason must hold. */
    expect: Record<string, string[]>;
  };
}

const one = (
  name: string,
  message: string,
  opts: { mutate?: (a: AppDocs) => void; raw?: Record<string, string>; special?: Record<string, SpecialFile> },
): HostileCase => ({
  name,
  build(example, dir) {
    const files = brokenApp(example, dir, { name, message, ...(opts.mutate ? { mutate: opts.mutate } : {}), ...(opts.raw ? { raw: opts.raw } : {}) }) as Record<
      string,
      string
    >;
    for (const file of Object.keys(opts.special ?? {})) delete files[`apps/${dir}/${file}`];
    const special = Object.fromEntries(Object.entries(opts.special ?? {}).map(([file, v]) => [`apps/${dir}/${file}`, v]));
    return { files, special, expect: { [`apps/${dir}/app.pipecd.yaml`]: [`apps/${dir}/${message.replaceAll('{dir}', `apps/${dir}`)}`] } };
  },
});

/** Two apps in one push that clash with each other; each must name the other's file. */
const pair = (name: string, mutateB: (b: AppDocs, dirA: string) => void, messages: (a: string, b: string) => [string[], string[]]): HostileCase => ({
  name,
  build(example, dir) {
    const b = `${dir}-b`;
    const first = brokenApp(example, dir, { name, message: '' }) as Record<string, string>;
    const second = brokenApp(example, b, { name, message: '', mutate: (docs) => mutateB(docs, dir) }) as Record<string, string>;
    const [ma, mb] = messages(`apps/${dir}`, `apps/${b}`);
    return { files: { ...first, ...second }, expect: { [`apps/${dir}/app.pipecd.yaml`]: ma, [`apps/${b}/app.pipecd.yaml`]: mb } };
  },
});

const aliasBomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
].join('\n');
const deep = `cluster: demo\nserviceName: x\nextra: ${'['.repeat(100)}${']'.repeat(100)}\n`;
const container = (a: AppDocs) => a.task.containerDefinitions[0] as Record<string, any>;
const stages = (a: AppDocs) => a.config.spec.pipeline.stages as Record<string, any>[];

/** The input holes the issue lists: each a `file: field` error, a TRIGGER_FAILED record, and no ECS call. */
export const HOSTILE_CASES: HostileCase[] = [
  one(
    'YAML: alias bomb',
    'app.pipecd.yaml: invalid YAML: its aliases expand too far (more than 100 alias uses, or a huge expansion); write the values out instead of an alias bomb',
    { raw: { 'app.pipecd.yaml': aliasBomb } },
  ),
  one('YAML: nesting 100 deep', 'servicedef.yaml: is nested more than 64 levels deep; a manifest needs far fewer', { raw: { 'servicedef.yaml': deep } }),
  one(
    'YAML: unknown tag !ruby/object',
    'taskdef.yaml: invalid YAML at line 1, column 9: unknown tag: !ruby/object:Gem::Installer: stepcd reads plain YAML, without language-specific tags',
    {
      raw: { 'taskdef.yaml': 'family: !ruby/object:Gem::Installer\n  i: x\ncontainerDefinitions: []\n' },
    },
  ),
  one('bytes: taskdef not valid UTF-8', 'taskdef.yaml: is not valid UTF-8 (byte 30); save it as UTF-8', {
    special: { 'taskdef.yaml': { bytes: Buffer.concat([Buffer.from('family: x\ncontainerDefinitions'), Buffer.from([0xff, 0xfe]), Buffer.from(': []\n')]) } },
  }),
  one('bytes: app config not valid UTF-8 (the trigger analysis reads it too)', 'app.pipecd.yaml: is not valid UTF-8 (byte 6); save it as UTF-8', {
    special: { 'app.pipecd.yaml': { bytes: Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xc0, 0xaf, 0x0a]) } },
  }),
  one('symlink: app config pointing outside the repository', 'app.pipecd.yaml: is a symlink to a path outside the repository; stepcd does not follow it', {
    special: { 'app.pipecd.yaml': { symlink: '/etc/hostname' } },
  }),
  one('symlink: servicedef pointing outside the repository', 'servicedef.yaml: is a symlink to a path outside the repository; stepcd does not follow it', {
    special: { 'servicedef.yaml': { symlink: '../../../../../../../../etc/passwd' } },
  }),
  one('size: a 10 MB task definition', 'taskdef.yaml: is 10485760 bytes, over the 262144-byte limit for a manifest file', {
    special: { 'taskdef.yaml': { bytes: Buffer.alloc(10 * 1024 * 1024, 'a') } },
  }),
  one(
    'servicedef wrapped in version + spec',
    'servicedef.yaml: must hold the CreateService fields (cluster, serviceName, deploymentController, ...) at its top level, but wraps them in version, spec; remove the wrapper',
    {
      mutate: (a) => {
        const inner = a.service;
        a.service = { version: 'v1', spec: inner };
      },
    },
  ),
  one(
    'placeholder: an encrypted secret in a taskdef that spec.encryption does not name',
    'taskdef.yaml: containerDefinitions[0].environment[0].value holds "{{ .encryptedSecrets.dbPassword }}": it is an encrypted-secret placeholder, but this file is not in spec.encryption.decryptionTargets, so it would be deployed literally',
    {
      mutate: (a) => (container(a).environment = [{ name: 'DB_PASSWORD', value: '{{ .encryptedSecrets.dbPassword }}' }]),
    },
  ),
  one(
    'trigger: a backreference pattern RE2 cannot run',
    'app.pipecd.yaml: spec.trigger.onCommit.ignores[0] is not a pattern stepcd can match in linear time (RE2 syntax: no backreferences or lookaround): error parsing regexp: invalid escape sequence: `\\1`',
    {
      mutate: (a) => (a.config.spec.trigger = { onCommit: { ignores: ['^(docs)/\\1$'] } }),
    },
  ),
  one(
    'image: capital letters',
    'taskdef.yaml: containerDefinitions[0].image "registry.example.com/Web:1.0.0" is not a valid image reference (repository names must be lower case)',
    {
      mutate: (a) => (container(a).image = 'registry.example.com/Web:1.0.0'),
    },
  ),
  one(
    'image: a space',
    'taskdef.yaml: containerDefinitions[0].image "registry.example.com/web :1.0.0" is not a valid image reference (it contains white space)',
    {
      mutate: (a) => (container(a).image = 'registry.example.com/web :1.0.0'),
    },
  ),
  one(
    'image: LATEST in capitals',
    'taskdef.yaml: containerDefinitions[0].image "registry.example.com/web:LATEST" uses the mutable tag LATEST; pin a version tag or digest (or set spec.stepcd.imagePolicy.allowMutableTags: true)',
    {
      mutate: (a) => (container(a).image = 'registry.example.com/web:LATEST'),
    },
  ),
  one(
    'image policy: tag outside tagPattern',
    'taskdef.yaml: containerDefinitions[0].image "registry.example.com/web:main-3f2a1c" has the tag "main-3f2a1c", which does not match spec.stepcd.imagePolicy.tagPattern "^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$"',
    {
      mutate: (a) => {
        container(a).image = 'registry.example.com/web:main-3f2a1c';
        a.config.spec.stepcd = { imagePolicy: { tagPattern: '^v\\d+\\.\\d+\\.\\d+$' } };
      },
    },
  ),
  one(
    'image policy: requireDigest without a digest',
    'taskdef.yaml: containerDefinitions[0].image "registry.example.com/web:1.0.0" has no digest, and spec.stepcd.imagePolicy.requireDigest is set; pin it as name@sha256:<digest>',
    {
      mutate: (a) => {
        container(a).image = 'registry.example.com/web:1.0.0';
        a.config.spec.stepcd = { imagePolicy: { requireDigest: true } };
      },
    },
  ),
  one(
    'pipeline: too long for one execution history',
    "app.pipecd.yaml: spec.pipeline.stages could write up to 57687 Step Functions history events (a stability check every 10s until each stage's timeout, a rollback polling every 15s), over the 25000 one execution can hold: at most 5 stages like these fit; use fewer stages, shorter stage timeouts or a longer spec.stepcd.stabilityBackstop (or pollInterval)",
    {
      mutate: (a) => {
        a.config.spec.stepcd = { stabilityBackstop: '10s' };
        a.config.spec.pipeline.stages = Array.from({ length: 12 }, () => ({ name: 'ECS_PRIMARY_ROLLOUT', with: { stableTimeout: '1h' } }));
      },
    },
  ),
  one(
    'approval: the same approver twice',
    'app.pipecd.yaml: spec.pipeline.stages[2].with.approvers[1] "alice" is listed more than once; each approver counts once',
    {
      mutate: (a) => (stages(a)[2]!.with = { approvers: ['alice', 'alice'] }),
    },
  ),
  one(
    'approval: more approvals than distinct approvers',
    'app.pipecd.yaml: spec.pipeline.stages[2].with.minApproverNum is 3 but only 2 approver(s) are listed, so the approval could never pass',
    {
      mutate: (a) => (stages(a)[2]!.with = { approvers: ['alice', 'bob'], minApproverNum: 3 }),
    },
  ),
  one(
    'servicedef: launchType with capacityProviderStrategy',
    'servicedef.yaml: capacityProviderStrategy cannot be set together with launchType: ECS refuses a task set with both (InvalidParameterException); keep one',
    {
      mutate: (a) => (a.service.capacityProviderStrategy = [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]),
    },
  ),
  pair(
    'two apps with the same spec.name',
    (b, dirA) => (b.config.spec.name = dirA),
    (a, b) => [
      [
        `${a}/app.pipecd.yaml: spec.name "${a.slice(5)}" is also the name of ${b}/app.pipecd.yaml: app names must be unique in a repository (both apps are refused, or they would share one lock, history and rollback target)`,
      ],
      [
        `${b}/app.pipecd.yaml: spec.name "${a.slice(5)}" is also the name of ${a}/app.pipecd.yaml: app names must be unique in a repository (both apps are refused, or they would share one lock, history and rollback target)`,
      ],
    ],
  ),
  pair(
    'two apps deploying the same cluster and service',
    (b, dirA) => (b.service.serviceName = dirA),
    (a, b) => [
      [
        `${a}/servicedef.yaml: serviceName "${a.slice(5)}" in cluster "demo" is also deployed by ${b}/app.pipecd.yaml: one ECS service belongs to one app (both apps are refused, or each would replace the other's task sets)`,
      ],
      [
        `${b}/servicedef.yaml: serviceName "${a.slice(5)}" in cluster "demo" is also deployed by ${a}/app.pipecd.yaml: one ECS service belongs to one app (both apps are refused, or each would replace the other's task sets)`,
      ],
    ],
  ),
];

export { parse, stringify };
