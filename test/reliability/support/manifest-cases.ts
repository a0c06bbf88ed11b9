import { parse, stringify } from 'yaml';

/** The three files of an app, as objects to break. */
export interface AppDocs {
  config: Record<string, any>;
  service: Record<string, any>;
  task: Record<string, any>;
}

export interface ManifestCase {
  name: string;
  /** Breaks the parsed example files (ignored for the files `raw` replaces). */
  mutate?: (a: AppDocs) => void;
  /** Replaces a file's text (null deletes it), for syntax errors and missing files. */
  raw?: Record<string, string | null>;
  /** The exact `file: field message` expected, with the file relative to the app directory; `{dir}` is the app's directory. */
  message: string;
}

const FILES = { config: 'app.pipecd.yaml', service: 'servicedef.yaml', task: 'taskdef.yaml' } as const;

/** The example canary app's files under `apps/<dir>/`, renamed `<dir>` and broken as the case says. */
export function brokenApp(example: Record<string, string>, dir: string, c: ManifestCase): Record<string, string | null> {
  const text = (file: string) => {
    const v = example[`apps/canary/${file}`];
    if (v === undefined) throw new Error(`example canary has no ${file}`);
    return v;
  };
  const docs: AppDocs = { config: parse(text(FILES.config)), service: parse(text(FILES.service)), task: parse(text(FILES.task)) };
  docs.config.spec.name = dir;
  docs.service.serviceName = dir;
  docs.task.family = dir;
  c.mutate?.(docs);
  const out: Record<string, string | null> = {
    [`apps/${dir}/${FILES.config}`]: stringify(docs.config),
    [`apps/${dir}/${FILES.service}`]: stringify(docs.service),
    [`apps/${dir}/${FILES.task}`]: stringify(docs.task),
  };
  for (const [file, value] of Object.entries(c.raw ?? {})) out[`apps/${dir}/${file}`] = value;
  // A deleted file must not be "added" by this commit: leave it out instead.
  for (const [path, value] of Object.entries(out)) if (value === null) delete out[path];
  return out;
}

const stages = (a: AppDocs) => a.config.spec.pipeline.stages as Record<string, any>[];
const tg = (a: AppDocs) => a.config.spec.input.targetGroups as Record<string, Record<string, any>>;
const container = (a: AppDocs) => a.task.containerDefinitions[0] as Record<string, any>;

/** Broken manifests of every kind the spec names; messages as users see them in history. */
export const MANIFEST_CASES: ManifestCase[] = [
  // Syntax: YAML and JSON
  {
    name: 'YAML: unclosed flow sequence in app config',
    raw: { 'app.pipecd.yaml': 'apiVersion: pipecd.dev/v1beta1\nkind: ECSApp\nspec:\n  name: [x\n  input: {}\n' },
    message: 'app.pipecd.yaml: invalid YAML at line 5, column 3: Flow sequence in block collection must be sufficiently indented and end with a ]',
  },
  {
    name: 'YAML: tab indentation',
    raw: { 'app.pipecd.yaml': 'apiVersion: pipecd.dev/v1beta1\nkind: ECSApp\nspec:\n\tname: x\n' },
    message: 'app.pipecd.yaml: invalid YAML at line 4, column 1: Tabs are not allowed as indentation',
  },
  {
    name: 'YAML: duplicate key in app config',
    raw: { 'app.pipecd.yaml': 'apiVersion: pipecd.dev/v1beta1\nkind: ECSApp\nkind: ECSApp\n' },
    message: 'app.pipecd.yaml: invalid YAML at line 3, column 1: Map keys must be unique',
  },
  {
    name: 'YAML: duplicate key in servicedef',
    raw: { 'servicedef.yaml': 'cluster: demo\ncluster: demo\n' },
    message: 'servicedef.yaml: invalid YAML at line 2, column 1: Map keys must be unique',
  },
  {
    name: 'YAML: unterminated quote in taskdef',
    raw: { 'taskdef.yaml': 'family: "x\ncontainerDefinitions: []\n' },
    message: 'taskdef.yaml: invalid YAML at line 3, column 1: Missing closing "quote',
  },
  {
    name: 'YAML: app config is a list',
    raw: { 'app.pipecd.yaml': '- a\n- b\n' },
    message: 'app.pipecd.yaml: must hold a mapping with apiVersion, kind and spec (got a list)',
  },
  {
    name: 'YAML: app config is a scalar',
    raw: { 'app.pipecd.yaml': 'just a string\n' },
    message: 'app.pipecd.yaml: must hold a mapping with apiVersion, kind and spec (got "just a string")',
  },
  {
    name: 'YAML: app config is empty',
    raw: { 'app.pipecd.yaml': '' },
    message: 'app.pipecd.yaml: must hold a mapping with apiVersion, kind and spec (got null)',
  },
  {
    name: 'YAML: servicedef is a list',
    raw: { 'servicedef.yaml': '- cluster: demo\n' },
    message: 'servicedef.yaml: must hold a mapping in the CreateService shape (got a list)',
  },
  {
    name: 'JSON: trailing comma in taskdef.json',
    mutate: (a) => (a.config.spec.input.taskDefinitionFile = 'taskdef.json'),
    raw: { 'taskdef.json': '{"family": "x", "containerDefinitions": [],}' },
    message: 'taskdef.json: invalid JSON at line 1, column 44: expected a "quoted" key, found "}"',
  },
  {
    name: 'JSON: truncated servicedef.json',
    mutate: (a) => (a.config.spec.input.serviceDefinitionFile = 'servicedef.json'),
    raw: { 'servicedef.json': '{"cluster": "demo", "serviceName": ' },
    message: 'servicedef.json: invalid JSON at line 1, column 36: unexpected end of input',
  },
  {
    name: 'JSON: taskdef.json is an array',
    mutate: (a) => (a.config.spec.input.taskDefinitionFile = 'taskdef.json'),
    raw: { 'taskdef.json': '[]' },
    message: 'taskdef.json: must hold a mapping in the RegisterTaskDefinition shape (got a list)',
  },
  // Kinds and versions
  {
    name: 'kind: KubernetesApp',
    mutate: (a) => (a.config.kind = 'KubernetesApp'),
    message: 'app.pipecd.yaml: kind must be ECSApp (got "KubernetesApp"): stepcd deploys ECS apps only',
  },
  {
    name: 'kind: lower-case ecsapp',
    mutate: (a) => (a.config.kind = 'ecsapp'),
    message: 'app.pipecd.yaml: kind must be ECSApp (got "ecsapp"): stepcd deploys ECS apps only',
  },
  { name: 'kind: missing', mutate: (a) => delete a.config.kind, message: 'app.pipecd.yaml: kind is required' },
  {
    name: 'apiVersion: pipecd.dev/v1',
    mutate: (a) => (a.config.apiVersion = 'pipecd.dev/v1'),
    message: 'app.pipecd.yaml: apiVersion must be pipecd.dev/v1beta1 (got "pipecd.dev/v1")',
  },
  // Wrong types
  { name: 'type: spec.name a number', mutate: (a) => (a.config.spec.name = 42), message: 'app.pipecd.yaml: spec.name must be a string (got 42)' },
  { name: 'type: labels a list', mutate: (a) => (a.config.spec.labels = ['env=dev']), message: 'app.pipecd.yaml: spec.labels must be a mapping (got a list)' },
  {
    name: 'type: stages not a list',
    mutate: (a) => (a.config.spec.pipeline.stages = { name: 'ECS_SYNC' }),
    message: 'app.pipecd.yaml: spec.pipeline.stages must be a list (got an object)',
  },
  {
    name: 'type: autoRollback a string',
    mutate: (a) => (a.config.spec.input.autoRollback = 'no'),
    message: 'app.pipecd.yaml: spec.input.autoRollback must be true or false (got "no")',
  },
  {
    name: 'type: desiredCount a string',
    mutate: (a) => (a.service.desiredCount = 'four'),
    message: 'servicedef.yaml: desiredCount must be a number (got "four")',
  },
  {
    name: 'type: containerPort a string',
    mutate: (a) => (tg(a).primary!.containerPort = 'eighty'),
    message: 'app.pipecd.yaml: spec.input.targetGroups.primary.containerPort must be a number (got "eighty")',
  },
  {
    name: 'type: containerDefinitions a map',
    mutate: (a) => (a.task.containerDefinitions = { web: {} }),
    message: 'taskdef.yaml: containerDefinitions must be a list (got an object)',
  },
  {
    name: 'type: approvers a string',
    mutate: (a) => (stages(a)[2]!.with = { approvers: 'alice' }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[2].with.approvers must be a list (got "alice")',
  },
  {
    name: 'type: WAIT duration a number',
    mutate: (a) => stages(a).splice(2, 0, { name: 'WAIT', with: { duration: 30 } }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[2].with.duration must be a duration such as "30s", "5m" or "1h30m" (got 30)',
  },
  {
    name: 'type: unknown field in spec',
    mutate: (a) => (a.config.spec.pipline = {}),
    message: 'app.pipecd.yaml: spec.pipline is an unknown field (did you mean pipeline?)',
  },
  {
    name: 'type: misspelt input field',
    mutate: (a) => (a.config.spec.input.serviceDefintionFile = 'x'),
    message: 'app.pipecd.yaml: spec.input.serviceDefintionFile is an unknown field (did you mean serviceDefinitionFile?)',
  },
  // Out of range scale and weights
  {
    name: 'range: scale 0',
    mutate: (a) => (stages(a)[0]!.with = { scale: 0 }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[0].with.scale must be greater than 0: a canary with no tasks cannot serve or be checked',
  },
  {
    name: 'range: scale 101',
    mutate: (a) => (stages(a)[0]!.with = { scale: 101 }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[0].with.scale must be between 0 and 100 (got 101)',
  },
  {
    name: 'range: scale -5',
    mutate: (a) => (stages(a)[0]!.with = { scale: -5 }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[0].with.scale must be between 0 and 100 (got -5)',
  },
  {
    name: 'range: scale "abc%"',
    mutate: (a) => (stages(a)[0]!.with = { scale: 'abc%' }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[0].with.scale must be a percentage such as 30, "30" or "30%" (got "abc%")',
  },
  {
    name: 'range: canary weight 120',
    mutate: (a) => (stages(a)[1]!.with = { canary: 120 }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[1].with.canary must be between 0 and 100 (got 120)',
  },
  {
    name: 'range: primary weight -1',
    mutate: (a) => (stages(a)[1]!.with = { primary: -1 }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[1].with.primary must be between 0 and 100 (got -1)',
  },
  {
    name: 'range: scale 100.5%',
    mutate: (a) => (stages(a)[0]!.with = { scale: '100.5%' }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[0].with.scale must be a percentage such as 30, "30" or "30%" (got "100.5%")',
  },
  {
    name: 'range: minApproverNum 0',
    mutate: (a) => (stages(a)[2]!.with = { minApproverNum: 0 }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[2].with.minApproverNum must be at least 1',
  },
  {
    name: 'range: approval timeout "forever"',
    mutate: (a) => (stages(a)[2]!.with = { timeout: 'forever' }),
    message: 'app.pipecd.yaml: spec.pipeline.stages[2].with.timeout must be a duration such as "30s", "5m" or "1h30m" (got "forever")',
  },
  { name: 'range: negative desiredCount', mutate: (a) => (a.service.desiredCount = -1), message: 'servicedef.yaml: desiredCount must be 0 or more' },
  // Missing files
  {
    name: 'missing: task definition file named but absent',
    mutate: (a) => (a.config.spec.input.taskDefinitionFile = 'nope.yaml'),
    message: 'app.pipecd.yaml: spec.input.taskDefinitionFile names "nope.yaml", which does not exist (looked for {dir}/nope.yaml)',
  },
  {
    name: 'missing: service definition file named but absent',
    mutate: (a) => (a.config.spec.input.serviceDefinitionFile = 'gone.yaml'),
    message: 'app.pipecd.yaml: spec.input.serviceDefinitionFile names "gone.yaml", which does not exist (looked for {dir}/gone.yaml)',
  },
  {
    name: 'missing: service definition outside the repo',
    mutate: (a) => (a.config.spec.input.serviceDefinitionFile = '../../../etc/passwd'),
    message: 'app.pipecd.yaml: spec.input.serviceDefinitionFile "../../../etc/passwd" must be a relative path inside the repository',
  },
  {
    name: 'missing: no serviceDefinitionFile and no clusterArn (standalone task)',
    mutate: (a) => delete a.config.spec.input.serviceDefinitionFile,
    message: 'app.pipecd.yaml: spec.input.clusterArn is required for a standalone task (no spec.input.serviceDefinitionFile): the cluster the task runs in',
  },
  // Container name or port mismatches
  {
    name: 'mismatch: primary containerName',
    mutate: (a) => (tg(a).primary!.containerName = 'api'),
    message: 'app.pipecd.yaml: spec.input.targetGroups.primary.containerName "api" is not a container in {dir}/taskdef.yaml (containers: web)',
  },
  {
    name: 'mismatch: canary containerName',
    mutate: (a) => (tg(a).canary!.containerName = 'sidecar'),
    message: 'app.pipecd.yaml: spec.input.targetGroups.canary.containerName "sidecar" is not a container in {dir}/taskdef.yaml (containers: web)',
  },
  {
    name: 'mismatch: primary containerPort',
    mutate: (a) => (tg(a).primary!.containerPort = 8080),
    message: 'app.pipecd.yaml: spec.input.targetGroups.primary.containerPort 8080 is not a containerPort of container "web" in {dir}/taskdef.yaml (ports: 80)',
  },
  {
    name: 'mismatch: canary containerPort',
    mutate: (a) => (tg(a).canary!.containerPort = 443),
    message: 'app.pipecd.yaml: spec.input.targetGroups.canary.containerPort 443 is not a containerPort of container "web" in {dir}/taskdef.yaml (ports: 80)',
  },
  {
    name: 'mismatch: container has no portMappings',
    mutate: (a) => delete container(a).portMappings,
    message: 'app.pipecd.yaml: spec.input.targetGroups.primary.containerPort 80 is not a containerPort of container "web" in {dir}/taskdef.yaml (ports: none)',
  },
  // Non-EXTERNAL services
  {
    name: 'service: ECS deployment controller',
    mutate: (a) => (a.service.deploymentController = { type: 'ECS' }),
    message: 'servicedef.yaml: deploymentController.type must be EXTERNAL',
  },
  {
    name: 'service: CODE_DEPLOY deployment controller',
    mutate: (a) => (a.service.deploymentController = { type: 'CODE_DEPLOY' }),
    message: 'servicedef.yaml: deploymentController.type must be EXTERNAL',
  },
  {
    name: 'service: no deployment controller',
    mutate: (a) => delete a.service.deploymentController,
    message: 'servicedef.yaml: deploymentController.type must be EXTERNAL',
  },
  {
    name: 'service: loadBalancers on the service',
    mutate: (a) => (a.service.loadBalancers = [{ targetGroupArn: 'x' }]),
    message: 'servicedef.yaml: loadBalancers is not allowed: with the EXTERNAL deployment controller load balancers belong to each task set',
  },
  // Mutable image tags
  {
    name: 'image: :latest',
    mutate: (a) => (container(a).image = 'registry.example.com/x:latest'),
    message: 'taskdef.yaml: containerDefinitions[0].image "registry.example.com/x:latest" uses the mutable tag latest',
  },
  {
    name: 'image: no tag',
    mutate: (a) => (container(a).image = 'registry.example.com/x'),
    message: 'taskdef.yaml: containerDefinitions[0].image "registry.example.com/x" has no tag or digest, so it means :latest',
  },
  {
    name: 'image: registry port, no tag',
    mutate: (a) => (container(a).image = 'registry.local:5000/x'),
    message: 'taskdef.yaml: containerDefinitions[0].image "registry.local:5000/x" has no tag or digest, so it means :latest',
  },
  { name: 'image: missing', mutate: (a) => delete container(a).image, message: 'taskdef.yaml: containerDefinitions[0].image is required' },
  // Unknown stages
  {
    name: 'stage: unknown ECS_MAGIC',
    mutate: (a) => (stages(a)[2]!.name = 'ECS_MAGIC'),
    message:
      'app.pipecd.yaml: spec.pipeline.stages[2].name "ECS_MAGIC" is not a stage stepcd knows (known: ECS_SYNC, ECS_CANARY_ROLLOUT, ECS_PRIMARY_ROLLOUT, ECS_TRAFFIC_ROUTING, ECS_CANARY_CLEAN, WAIT, WAIT_APPROVAL, ANALYSIS, ECS_RUN_TASK)',
  },
  {
    name: 'stage: PipeCD SCRIPT_RUN not supported',
    mutate: (a) => (stages(a)[2]!.name = 'SCRIPT_RUN'),
    message: 'app.pipecd.yaml: spec.pipeline.stages[2].name "SCRIPT_RUN" is a PipeCD stage stepcd does not support yet',
  },
  {
    name: 'stage: lower-case name',
    mutate: (a) => (stages(a)[0]!.name = 'ecs_canary_rollout'),
    message:
      'app.pipecd.yaml: spec.pipeline.stages[0].name "ecs_canary_rollout" is not a stage stepcd knows (known: ECS_SYNC, ECS_CANARY_ROLLOUT, ECS_PRIMARY_ROLLOUT, ECS_TRAFFIC_ROUTING, ECS_CANARY_CLEAN, WAIT, WAIT_APPROVAL, ANALYSIS, ECS_RUN_TASK)',
  },
  { name: 'stage: no name', mutate: (a) => delete stages(a)[2]!.name, message: 'app.pipecd.yaml: spec.pipeline.stages[2].name is required' },
  {
    name: 'stage: empty pipeline',
    mutate: (a) => (a.config.spec.pipeline.stages = []),
    message: 'app.pipecd.yaml: spec.pipeline.stages must have at least one stage (remove spec.pipeline to use quick sync)',
  },
  // Canary target group
  {
    name: 'canary TG: missing with ECS_CANARY_ROLLOUT and routing',
    mutate: (a) => delete tg(a).canary,
    message: 'app.pipecd.yaml: spec.input.targetGroups.canary is required because the pipeline has ECS_CANARY_ROLLOUT (spec.pipeline.stages[0])',
  },
  {
    name: 'canary TG: missing with routing only',
    mutate: (a) => {
      delete tg(a).canary;
      a.config.spec.pipeline.stages = [{ name: 'ECS_PRIMARY_ROLLOUT' }, { name: 'ECS_TRAFFIC_ROUTING', with: { primary: 100 } }];
    },
    message: 'app.pipecd.yaml: spec.input.targetGroups.canary is required because the pipeline has ECS_TRAFFIC_ROUTING (spec.pipeline.stages[1])',
  },
  {
    name: 'canary TG: same ARN as primary',
    mutate: (a) => (tg(a).canary!.targetGroupArn = tg(a).primary!.targetGroupArn),
    message: 'app.pipecd.yaml: spec.input.targetGroups.canary.targetGroupArn must differ from the primary target group, or traffic could never be split',
  },
  {
    name: 'canary TG: not an ARN',
    mutate: (a) => (tg(a).canary!.targetGroupArn = 'canary-canary'),
    message:
      'app.pipecd.yaml: spec.input.targetGroups.canary.targetGroupArn must be a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)',
  },
];
