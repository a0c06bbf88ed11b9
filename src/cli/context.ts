import type { ApprovalService } from '../approval/service.js';
import { LOCAL_REGION, type AwsClientConfigs } from '../aws/client-config.js';
import { createCallerIdentity } from '../aws/caller-identity.js';
import { createLiveEcsReader } from '../aws/ecs-read.js';
import { createSfnAdmin } from '../aws/sfn-admin.js';
import type { Config } from '../config/index.js';
import { createLogger } from '../logging.js';
import { awsClientConfigs, localClientConfigs } from '../runtime/clients.js';
import type { CoreDeps } from '../runtime/deps.js';
import { composeServices } from '../runtime/services.js';
import { CliError } from './errors.js';
import { readLocalEndpoints, type LocalEndpoints } from './local-state.js';
import type { CliIo } from './output.js';
import type { LiveEcsReader } from '../plan/preview.js';
import type { WorkflowAdminPort } from './ports.js';

/** Where commands act: the flags that pick AWS or the local stack. */
export interface TargetFlags {
  local?: boolean;
  stage?: string;
  region?: string;
  profile?: string;
  debug?: boolean;
}

/**
 * The same ports the Lambdas use (ARCHITECTURE: one code path for AWS and local), built for the
 * CLI: history, workflow and approvals from the composition root (src/runtime), plus the read-only ports only the CLI
 * uses (execution history, the live service).
 */
export interface Target extends CoreDeps {
  approvals: ApprovalService;
  config: Config;
  workflowAdmin: WorkflowAdminPort;
  liveEcs: LiveEcsReader;
  /** One line naming the target, e.g. `AWS stage prod (eu-west-1)`. */
  label: string;
  local?: LocalEndpoints;
  /** The client configs every port of this target is built over (one identity, one endpoint set). */
  clients: AwsClientConfigs;
  now(): Date;
  /**
   * The caller's AWS identity (STS GetCallerIdentity ARN), asked once: the actor approve, reject and
   * cancel record, whatever display name `--as` gives.
   */
  callerArn(): Promise<string>;
  /** Releases the CLI-only clients' connections so the process can exit. */
  close(): void;
}

export async function resolveTarget(flags: TargetFlags, io: CliIo): Promise<Target> {
  return flags.local ? localTarget(io, flags) : awsTarget(flags, io);
}

async function localTarget(io: CliIo, flags: TargetFlags): Promise<Target> {
  const local = await readLocalEndpoints(io.cwd);
  // Signed as `cli`, so the local cloud attributes these calls to the CLI user's policy (docs/deploy.md).
  const clients = localClientConfigs({ awsUrl: local.awsUrl, dynamoUrl: local.dynamoUrl }, 'cli');
  const config = targetConfig(LOCAL_REGION, local);
  return build(config, clients, `local stack at ${local.frontUrl}`, flags, local);
}

/**
 * AWS, by the names serverless.yml gives a stage's resources. Credentials come from the SDK's
 * default chain, for the `--profile` given (passed in client config, never through the environment).
 */
async function awsTarget(flags: TargetFlags, io: CliIo): Promise<Target> {
  const stage = flags.stage;
  if (!stage) {
    throw new CliError('no target: say which stack to use', {
      hint: 'pass --stage <name> (AWS, with --region/--profile) or --local, or set STEPCD_STAGE or stage: in a .stepcd file',
      exitCode: 2,
    });
  }
  const region = flags.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!region) throw new CliError('no AWS region', { hint: 'pass --region or set AWS_REGION', exitCode: 2 });
  const clients = awsClientConfigs({ region, ...(flags.profile ? { profile: flags.profile } : {}) });
  const stateMachineArn = await findStateMachine(`stepcd-${stage}-deployment`, clients, region);
  const config = targetConfig(region, { tableName: `stepcd-${stage}-history`, eventBusName: `stepcd-${stage}`, stateMachineArn });
  return build(config, clients, `AWS stage ${stage} (${region})`, flags);
}

/** The one Config of a target: its resources' names; the CLI neither tracks repositories nor posts to Slack. */
function targetConfig(region: string, names: Pick<Config, 'tableName' | 'eventBusName' | 'stateMachineArn'>): Config {
  const { tableName, eventBusName, stateMachineArn } = names;
  return { region, tableName, eventBusName, stateMachineArn, github: { repos: [], branches: [], deployTags: false }, slack: {} };
}

function build(config: Config, clients: AwsClientConfigs, label: string, flags: TargetFlags, local?: LocalEndpoints): Target {
  const logger = createLogger('stepcd-cli', { logLevel: flags.debug ? 'DEBUG' : 'SILENT' });
  const services = composeServices({ config, clients: () => clients, logger });
  const workflowAdmin = createSfnAdmin(clients.sfn);
  const liveEcs = createLiveEcsReader(clients.ecs);
  const identity = createCallerIdentity(clients.sts);
  return {
    ...services.core(),
    approvals: services.approvals({}),
    config,
    clients,
    workflowAdmin,
    liveEcs,
    label,
    ...(local ? { local } : {}),
    now: () => new Date(),
    callerArn: () => identity.callerArn(),
    close: () => {
      workflowAdmin.close();
      liveEcs.close();
    },
  };
}

async function findStateMachine(name: string, clients: AwsClientConfigs, region: string): Promise<string> {
  const admin = createSfnAdmin(clients.sfn);
  let arn: string | undefined;
  try {
    arn = await admin.findStateMachineArn(name);
  } catch (err) {
    throw new CliError(`cannot list the state machines in ${region}: ${(err as Error).message}`, {
      hint: 'check your credentials, --profile and --region',
      cause: err,
    });
  } finally {
    admin.close();
  }
  if (!arn) throw new CliError(`state machine ${name} not found in ${region}`, { hint: 'check --stage and --region, or deploy the stack (docs/deploy.md)' });
  return arn;
}
