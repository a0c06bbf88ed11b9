import { readAppConfig, type AppConfig } from './app-config.js';
import { checkServiceDefinition, checkTaskDefinition } from './definitions.js';
import { checkImages, checkPipelineEnd, checkTargetContainers, checkTopology } from './cross-checks.js';
import { CHECKS, IssueList, stripTag, type CheckName } from './issues.js';
import { parseManifestText } from './parse-file.js';
import { RefusedFileError } from './refusal.js';
import { fillPlaceholders, type TemplateSources } from './placeholders.js';
import { readTemplating, type Templating } from './encryption.js';
import { checkHistoryBudget } from './history-budget.js';
import { buildPlan } from '../plan/build-plan.js';
import { InvalidManifestError } from '../errors.js';
import { dirOf, resolveInApp } from './paths.js';
import type { AppManifest, LoadResult, ManifestFiles } from './types.js';
import { DEFAULT_STABILITY_BACKSTOP_SECONDS, type ServiceDefinition } from '../domain/plan.js';

/** Everything learned about one app: the manifest when it is valid, and every issue either way. */
export interface Analysis {
  /** spec.name when readable, else the config file path: what `stepcd validate` prints per row. */
  label: string;
  issues: IssueList;
  app?: AppManifest;
}

/**
 * Loads and validates one app. Errors from `files.readFile` itself (network, permissions) propagate:
 * they are not problems with the manifest and may be retried.
 */
export async function loadApp(files: ManifestFiles, configPath: string): Promise<LoadResult> {
  const { app, issues } = await analyzeApp(files, configPath);
  const all = issues.items.map(stripTag);
  if (app) return { ok: true, app, warnings: all };
  return { ok: false, issues: all };
}

export async function analyzeApp(files: ManifestFiles, configPath: string): Promise<Analysis> {
  const issues = new IssueList();
  const configFile = resolveInApp('', configPath) ?? configPath;
  const dir = dirOf(configFile);
  const skipAll = (reason: string, except: CheckName[] = []) => {
    for (const c of CHECKS) {
      if (!except.includes(c)) issues.skip(c, reason);
    }
  };

  const parsed = await readParsed(files, configFile, issues, 'app config');
  if (parsed === undefined) {
    skipAll(`${configFile} could not be read`, ['app config']);
    return { label: configFile, issues };
  }
  const config = readAppConfig({ issues, file: configFile, check: 'app config' }, parsed);
  if (!config) {
    skipAll(`${configFile} is not a readable ECSApp`, ['app config']);
    return { label: configFile, issues };
  }
  const label = config.name ?? configFile;

  const templating = readTemplating({ issues, file: configFile, check: 'app config' }, dir, config.encryption, config.attachment);
  // Read one at a time below (issues keep their order); a batching source gets them all in one request.
  const definitions = [config.isStandalone ? undefined : config.serviceDefinitionFile, config.taskDefinitionFile].flatMap((named) => {
    const file = named === undefined ? undefined : resolveInApp(dir, named);
    return file === undefined ? [] : [file];
  });
  // Attachment sources are resolved already.
  files.prefetch?.([...Object.values(templating.attachmentSources), ...definitions]);
  const attachments = await readAttachments(files, issues, templating);
  const sourcesFor = (file: string): TemplateSources => ({
    ...(templating.decryptionTargets.includes(file) && { secrets: new Set(Object.keys(templating.encryptedSecrets)) }),
    ...(templating.attachmentTargets.includes(file) && { attachments }),
  });

  if (config.isStandalone) issues.skip('service definition', 'a standalone task has none (spec.input.serviceDefinitionFile is not set)');
  const service = config.isStandalone
    ? undefined
    : await loadDefinition(files, issues, configFile, dir, 'spec.input.serviceDefinitionFile', config.serviceDefinitionFile, 'service definition');
  if (service) {
    service.value = fillPlaceholders({ issues, file: service.file, check: 'service definition' }, service.value, {
      ...sourcesFor(service.file),
      // Only the stage function decrypts, and only into the task definition it registers.
      secrets: undefined,
    });
  }
  const serviceDefinition = service && checkServiceDefinition({ issues, file: service.file, check: 'service definition' }, service.value);

  const task = await loadDefinition(files, issues, configFile, dir, 'spec.input.taskDefinitionFile', config.taskDefinitionFile, 'task definition');
  if (task) task.value = fillPlaceholders({ issues, file: task.file, check: 'task definition' }, task.value, sourcesFor(task.file));
  const taskDef = task && checkTaskDefinition({ issues, file: task.file, check: 'task definition' }, task.value);
  for (const [i, target] of templating.decryptionTargets.entries()) {
    if (target !== task?.file) {
      issues.error(
        'app config',
        configFile,
        `spec.encryption.decryptionTargets[${i}]`,
        `names ${target}, but stepcd decrypts into the task definition file only (${task?.file ?? 'spec.input.taskDefinitionFile'})`,
      );
    }
  }

  checkTopology(issues, configFile, config);
  checkPipelineEnd(issues, configFile, config);
  checkHistoryBudget(issues, configFile, config.stages, {
    pollSeconds: config.pollIntervalSeconds,
    backstopSeconds: config.stabilityBackstopSeconds ?? DEFAULT_STABILITY_BACKSTOP_SECONDS,
  });
  if (service && serviceDefinition && config.accessType === 'SERVICE_DISCOVERY' && serviceDefinition.serviceRegistries === undefined) {
    // Without a registry the task sets would be reachable by nothing: SERVICE_DISCOVERY has no target groups.
    issues.error('service definition', service.file, 'serviceRegistries', 'is required when spec.input.accessType is SERVICE_DISCOVERY');
  }
  if (task && taskDef) {
    checkTargetContainers(issues, configFile, task.file, config.targetGroups, taskDef.containers);
    checkImages(issues, task.file, taskDef.containers, config.imagePolicy, config.tagPattern);
  } else {
    issues.skip('image policy', 'the task definition could not be read');
  }

  // A standalone task's plan carries only its cluster where a service definition would be (DeploymentPlan.standalone).
  const placement: ServiceDefinition | undefined = config.standalone ? { cluster: config.standalone.cluster, serviceName: '' } : serviceDefinition;
  const serviceFile = config.isStandalone ? [] : service ? [service.file] : undefined;
  if (issues.hasErrors() || !config.name || !placement || !taskDef || !serviceFile || !task) return { label, issues };
  const app = toManifest(config, config.name, dir, configFile, placement, taskDef.taskDefinition, [
    configFile,
    ...serviceFile,
    task.file,
    ...Object.values(templating.attachmentSources),
  ]);
  if (Object.keys(templating.encryptedSecrets).length > 0) app.encryptedSecrets = templating.encryptedSecrets;
  const planSize = planSizeProblem(app);
  if (planSize) {
    issues.error('app config', configFile, '', planSize);
    return { label, issues };
  }
  return { label, issues, app };
}

/**
 * The plan-size limit, checked here as well so that `stepcd validate` refuses what a push would.
 * Measured on a plan with an empty commit; on push the real commit is added and checked again.
 */
function planSizeProblem(app: AppManifest): string | undefined {
  try {
    buildPlan({ app, repo: '', commit: { sha: '0'.repeat(40), message: '', author: '' }, trigger: { kind: 'cli' }, serviceExists: true, now: new Date(0) });
    return undefined;
  } catch (err) {
    if (err instanceof InvalidManifestError) return err.issues[0]?.message ?? err.message;
    throw err;
  }
}

/** Attachment files, read through the same source as the manifests (so never outside the repository). */
async function readAttachments(files: ManifestFiles, issues: IssueList, templating: Templating): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [name, file] of Object.entries(templating.attachmentSources)) {
    const text = await readRefusing(files, file, issues, 'app config');
    if (text === null) continue;
    if (text === undefined) issues.error('app config', file, '', `is named by spec.attachment.sources.${name} but does not exist`);
    else out.set(name, text);
  }
  return out;
}

async function readParsed(files: ManifestFiles, file: string, issues: IssueList, check: CheckName): Promise<unknown> {
  const text = await readRefusing(files, file, issues, check);
  if (text === null) return undefined;
  if (text === undefined) {
    issues.error(check, file, '', 'file not found');
    return undefined;
  }
  const parsed = parseManifestText(file, text);
  if (!parsed.ok) {
    for (const i of parsed.issues)
      issues.error(check, i.file, i.path, i.message, { ...(i.line !== undefined && { line: i.line }), ...(i.column !== undefined && { column: i.column }) });
    return undefined;
  }
  return parsed.value;
}

/** Reads a file named by the app config; a missing one is reported against the field that names it. */
async function loadDefinition(
  files: ManifestFiles,
  issues: IssueList,
  configFile: string,
  dir: string,
  field: string,
  named: string | undefined,
  check: CheckName,
): Promise<{ file: string; value: unknown } | undefined> {
  if (named === undefined) {
    issues.skip(check, `${field} is not set`);
    return undefined;
  }
  const file = resolveInApp(dir, named);
  if (file === undefined) {
    issues.error(check, configFile, field, `${JSON.stringify(named)} must be a relative path inside the repository`);
    return undefined;
  }
  const text = await readRefusing(files, file, issues, check);
  if (text === null) return undefined;
  if (text === undefined) {
    issues.error(check, configFile, field, `names ${JSON.stringify(named)}, which does not exist (looked for ${file})`);
    return undefined;
  }
  const parsed = parseManifestText(file, text);
  if (!parsed.ok) {
    for (const i of parsed.issues)
      issues.error(check, i.file, i.path, i.message, { ...(i.line !== undefined && { line: i.line }), ...(i.column !== undefined && { column: i.column }) });
    return undefined;
  }
  return { file, value: parsed.value };
}

/** The file's text; null when the source refused it (reported here), undefined when it is missing. */
async function readRefusing(files: ManifestFiles, file: string, issues: IssueList, check: CheckName): Promise<string | undefined | null> {
  try {
    return await files.readFile(file);
  } catch (err) {
    if (!(err instanceof RefusedFileError)) throw err;
    issues.error(check, err.file, '', err.reason);
    return null;
  }
}

function toManifest(
  config: AppConfig,
  name: string,
  dir: string,
  configFile: string,
  serviceDefinition: ServiceDefinition,
  taskDefinition: Record<string, unknown>,
  files: string[],
): AppManifest {
  return {
    name,
    dir,
    configFile,
    labels: config.labels,
    ...(config.description !== undefined && { description: config.description }),
    serviceDefinition,
    taskDefinition,
    targetGroups: config.accessType === 'ELB' ? config.targetGroups : {},
    accessType: config.accessType,
    ...(config.standalone && { standalone: config.standalone }),
    autoRollback: config.autoRollback,
    alwaysUsePipeline: config.alwaysUsePipeline,
    trigger: config.trigger,
    stages: config.stages,
    timeoutSeconds: config.timeoutSeconds,
    mentions: config.mentions,
    ...(config.slackChannel !== undefined && { slackChannel: config.slackChannel }),
    pollIntervalSeconds: config.pollIntervalSeconds,
    ...(config.stabilityBackstopSeconds !== undefined && { stabilityBackstopSeconds: config.stabilityBackstopSeconds }),
    files,
  };
}
