import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createHandler as approvalRequestHandler } from '../../functions/approval-request/handler.js';
import { createHandler as finaliserHandler, type StatusChangeEvent } from '../../functions/finaliser/handler.js';
import { createHandler as githubDeploymentsHandler } from '../../functions/github-deployments/create-handler.js';
import { createHandler as orchestrateHandler } from '../../functions/orchestrate/handler.js';
import { createHandler as slackHandler } from '../../functions/slack-interactions/handler.js';
import { createHandler as ecsEventsHandler } from '../../functions/ecs-events/handler.js';
import { createHandler as stageHandler } from '../../functions/stage/handler.js';
import type { ApprovalService } from '../approval/service.js';
import { asPrincipal, LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/client-config.js';
import type { Config, Secrets } from '../config/index.js';
import { cachedAncestry } from '../gitops/ancestry.js';
import { InProcessDeferrer } from '../gitops/deferrers.js';
import { LocalGitAncestry } from '../gitops/local-git-ancestry.js';
import { LocalGitSource } from '../gitops/local-git-source.js';
import { triggerDeployments } from '../gitops/trigger.js';
import { createWebhookRoute } from '../gitops/webhook-handler.js';
import { createLogger, type StepcdLogger } from '../logging.js';
import type { CoreDeps } from '../runtime/deps.js';
import { ASL_FUNCTIONS, substituteDefinition } from '../runtime/functions.js';
import { checkDrift, type AppDriftResult } from '../drift/check.js';
import { composeServices, type Services } from '../runtime/services.js';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from './cloud.js';
import { type CapturedEvent, envelope } from './eventbridge/bus.js';
import { startHttpFront, type HttpFront, type HttpFrontOptions, type HttpRoute } from './http-front.js';
import { seedTopology, type SeededTopology, type Topology } from './seed.js';
import { InvocationLog } from './invocation-log.js';
import { readFunctionEventRules } from './serverless-rules.js';
import type { LocalLambdaContext } from './sfn/index.js';

export const DEFINITION_FILE = fileURLToPath(new URL('../../statemachines/deployment.asl.json', import.meta.url));
const STATE_MACHINE_NAME = 'stepcd-local-deployment';

export interface LocalStackOptions extends LocalCloudOptions {
  /** A git repository of app manifests; webhooks for `repo` read it. */
  repoDir: string;
  /** The `owner/name` the webhook payloads name (default `local/manifests`). */
  repo?: string;
  branch?: string;
  secrets?: Secrets;
  slack?: Config['slack'];
  /** Seed the cluster, ALB and target groups examples/ are written against (default: DEMO_TOPOLOGY). */
  topology?: Topology | false;
  httpPort?: number;
  logger?: StepcdLogger;
  /** The dashboard, served by the HTTP front on every path the API routes do not take. */
  dashboard?: HttpFrontOptions['dashboard'];
  /** STEPCD_QUEUE_BACKSTOP_SECONDS: how long a queued deployment waits for a hand-off (default 30, real seconds). */
  queueBackstopSeconds?: number;
  /** The stack-wide approver allowlist (STEPCD_APPROVERS on AWS). Default `['*']`: locally, anyone. */
  approvers?: string[];
  /**
   * Mirror deployments as GitHub Deployments through this GitHub API (a stand-in in tests), with
   * `secrets.githubToken`: the github-deployments function on stepcd's own events, as on AWS.
   */
  githubApiUrl?: string;
}

export interface LocalStack {
  cloud: LocalCloud;
  front: HttpFront;
  config: Config;
  secrets: Required<Pick<Secrets, 'githubWebhookSecret' | 'slackSigningSecret'>> & Secrets;
  core: CoreDeps;
  approvals: ApprovalService;
  stateMachineArn: string;
  topology?: SeededTopology;
  /**
   * Puts a wrapper around one of the state machine's functions (`orchestrate`, `stage`,
   * `approval-request`), e.g. to make the stage Lambda throw once mid-stage. Returns an undo.
   */
  interceptFunction(name: LocalFunctionName, wrapper: FunctionWrapper): () => void;
  /** Runs the scheduled drift check now, as the drift-check function (also `POST /local/drift-check`). */
  checkDrift(apps?: string[]): Promise<AppDriftResult[]>;
  /**
   * Lambda invocations per function since start, each counted where it happens: the state machine's
   * tasks, EventBridge deliveries to the event-driven functions (with their retries), the HTTP
   * front's GitHub and Slack routes, and the webhook's own continuations.
   */
  invocations(): Record<string, number>;
  /** Real ms of each finished invocation counted there, per function. */
  invocationDurations(): Record<string, number[]>;
  stop(): Promise<void>;
}

export type LocalFunctionName = (typeof ASL_FUNCTIONS)[keyof typeof ASL_FUNCTIONS];
export type LocalFunction = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;
export type FunctionWrapper = (event: unknown, context: LocalLambdaContext, next: LocalFunction) => Promise<unknown>;

/**
 * Locally a callback task's timeout runs in real seconds (src/local/sfn/task-tokens.ts), so the
 * queue's backstop for a lost hand-off is shorter than AWS's default of 900 s.
 */
const LOCAL_QUEUE_BACKSTOP_SECONDS = 30;
/**
 * A stability or ANALYSIS wait waits on emulated ECS and CloudWatch: its backstop timeout runs on the
 * cloud's clock, which moves 5 s every 10 real ms while it waits and nothing reacts to an event
 * (see WaitPolicy.callbackOnClock; a test may set its own step).
 */
const STABILITY_WAIT_STEP = { stepMs: 5_000, everyMs: 10 };
/**
 * A WAIT stage's one task-token wait ends by its timeout, on the cloud's clock like a stability wait's;
 * nothing reacts to it, so the clock moves a minute a step and an emulated hour passes in 60 steps.
 */
const WAIT_STAGE_STEP = { stepMs: 60_000, everyMs: 10 };

export const LOCAL_SECRETS = { githubWebhookSecret: 'local-webhook-secret', slackSigningSecret: 'local-slack-signing-secret' };

/**
 * stepcd on one machine: the local cloud, the one state machine definition with the real Lambda
 * handlers from functions/, the finaliser on status-change events, and the HTTP front for GitHub and
 * Slack. Tests, `npm start` and `stepcd local` all run this.
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const stageCalls = new InFlight();
  let quiet = () => stageCalls.idle();
  const step = { ...STABILITY_WAIT_STEP, ...opts.waitPolicy?.WaitStable?.callbackOnClock };
  const waitStep = { ...WAIT_STAGE_STEP, ...opts.waitPolicy?.WAIT?.callbackOnClock };
  const stabilityWait = {
    WaitStable: { ...opts.waitPolicy?.WaitStable, callbackOnClock: { ...step, quiet: () => quiet() } },
    WAIT: { ...opts.waitPolicy?.WAIT, callbackOnClock: { ...waitStep, quiet: () => quiet() } },
  };
  const cloud = await startLocalCloud({ ...opts, waitPolicy: { ...opts.waitPolicy, ...stabilityWait } });
  quiet = () => stageCalls.idle() && cloud.events.idle();
  const invocations = new InvocationLog();
  try {
    const logger = opts.logger ?? createLogger('stepcd-local');
    const stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`;
    const repo = opts.repo ?? 'local/manifests';
    const secrets = { ...LOCAL_SECRETS, ...opts.secrets };
    const config: Config = {
      region: LOCAL_REGION,
      tableName: cloud.tableName,
      eventBusName: cloud.eventBusName,
      stateMachineArn,
      // The GitHub API serves only the deployment mirror here: manifests and ancestry come from repoDir.
      github: { repos: [repo], branches: [opts.branch ?? 'main'], deployTags: false, ...(opts.githubApiUrl ? { apiUrl: opts.githubApiUrl } : {}) },
      slack: opts.slack ?? {},
      approvers: opts.approvers ?? ['*'],
      kmsKeyArn: cloud.kms.keyArn,
      queueBackstopSeconds: opts.queueBackstopSeconds ?? LOCAL_QUEUE_BACKSTOP_SECONDS,
    };
    const gitops = {
      source: new LocalGitSource(opts.repoDir),
      ancestry: cachedAncestry(new LocalGitAncestry(opts.repoDir)),
      // Each continuation is an asynchronous invocation of github-webhook on AWS.
      deferrer: new InProcessDeferrer((push, paths) =>
        invocations.time('github-webhook', () => triggerDeployments(push, services.githubWebhook(secrets), paths)),
      ),
      // Locally a Slack stand-in (config.slack.apiUrl) also serves the response_urls.
      ...(config.slack.apiUrl ? { responseUrlOrigins: [new URL(config.slack.apiUrl).origin] } : {}),
    };
    // Each function signs as itself, as each has its own role on AWS; `core` and `approvals` stay
    // unattributed for the tests that read and act through them.
    const services = composeServices({
      config,
      clients: (fn) => (fn ? asPrincipal(cloud.clientConfigs, fn) : cloud.clientConfigs),
      logger,
      now: () => cloud.clock.now(),
      local: gitops,
    });
    const core = services.core();
    const approvals = services.approvals(secrets);

    const functions = registerFunctions(cloud, services, secrets, stageCalls, invocations);
    const definition = substituteDefinition(await readFile(DEFINITION_FILE, 'utf8'), localFunctionArn);
    await cloud.sfn.createStateMachine({ name: STATE_MACHINE_NAME, definition });

    // Each event-driven function hears exactly the rules serverless.yml gives it, so it runs when it would on AWS.
    const rules = await readFunctionEventRules({ stateMachineName: STATE_MACHINE_NAME, eventBusName: cloud.eventBusName });
    const onEvents = (name: string, invoke: (event: CapturedEvent) => Promise<unknown>, retryMs: number, before?: () => Promise<void>) => {
      const declared = rules[name];
      if (!declared?.length) throw new Error(`serverless.yml gives ${name} no EventBridge rule`);
      const target = async (event: CapturedEvent) => {
        await before?.();
        // Lambda retries a failed asynchronous invocation twice (after about 1 and 2 minutes); so
        // does this target, sooner. Each attempt is an invocation.
        for (let attempt = 0; ; attempt++) {
          try {
            return void (await invocations.time(name, () => invoke(event)));
          } catch (err) {
            if (attempt >= 2) throw err;
            await new Promise((r) => setTimeout(r, retryMs * (attempt + 1)));
          }
        }
      };
      for (const rule of declared) cloud.events.subscribe(rule, target);
    };

    const finalise = finaliserHandler(() => services.finaliser(secrets));
    onEvents(
      'finaliser',
      (event) => {
        const change: StatusChangeEvent = { source: event.source, 'detail-type': event.detailType, detail: event.detail as StatusChangeEvent['detail'] };
        return finalise(change, lambdaContext('finaliser'));
      },
      100,
      // On AWS a stopped execution's stage Lambda runs on, and the rollback execution waits out its
      // timeout (SettleInFlight). Local Waits last milliseconds, so wait for those calls here instead
      // (before the invocation, so its measured duration is the finaliser's own).
      () => stageCalls.settled(),
    );

    const ecsEvents = ecsEventsHandler(() => services.ecsEvents(secrets));
    onEvents('ecs-events', (event) => ecsEvents(envelope(event) as never, lambdaContext('ecs-events')), 100);

    if (opts.githubApiUrl) {
      const mirror = githubDeploymentsHandler(() => services.githubDeployments(secrets));
      onEvents(
        'github-deployments',
        (event) => mirror({ source: event.source, 'detail-type': event.detailType, detail: event.detail }, lambdaContext('github-deployments')),
        250,
      );
    }

    const slack = slackHandler(() => services.slackInteractions(secrets));
    const runDriftCheck = (apps?: string[]) => checkDrift(services.driftCheck(secrets), apps);
    const counted =
      (name: string, route: HttpRoute): HttpRoute =>
      (...args) =>
        invocations.time(name, async () => route(...args));
    const front = await startHttpFront({
      routes: {
        'POST /local/drift-check': counted('drift-check', async (event) => {
          const apps = event.body ? (JSON.parse(event.body) as { apps?: string[] }).apps : undefined;
          return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results: await runDriftCheck(apps) }) };
        }),
        'POST /webhooks/github': counted('github-webhook', createWebhookRoute(services.githubWebhook(secrets)) as HttpRoute),
        'POST /slack/interactions': counted('slack-interactions', ((event) => slack(event, lambdaContext('slack-interactions'))) as HttpRoute),
      },
      ...(opts.dashboard ? { dashboard: opts.dashboard } : {}),
      ...(opts.httpPort ? { port: opts.httpPort } : {}),
    });
    const topology = opts.topology === false ? undefined : await seedTopology(cloud.clientConfigs, opts.topology);
    return {
      cloud,
      front,
      config,
      secrets,
      core,
      approvals,
      stateMachineArn,
      ...(topology ? { topology } : {}),
      interceptFunction(name, wrapper) {
        const original = functions[name];
        const wrapped: LocalFunction = (event, context) => wrapper(event, context, original);
        registerFunction(cloud, name, wrapped, stageCalls, invocations);
        return () => registerFunction(cloud, name, original, stageCalls, invocations);
      },
      checkDrift: runDriftCheck,
      invocations: () => invocations.counts(),
      invocationDurations: () => invocations.durationsMs(),
      async stop() {
        await front.close();
        // A deferred push continuation still writes to DynamoDB; let it land before dynalite closes.
        await gitops.deferrer.idle().catch((err: unknown) => logger.warn('a deferred push failed while stopping', { error: err as Error }));
        await cloud.stop();
      },
    };
  } catch (err) {
    await cloud.stop();
    throw err;
  }
}

function registerFunctions(
  cloud: LocalCloud,
  services: Services,
  secrets: Secrets,
  stageCalls: InFlight,
  invocations: InvocationLog,
): Record<LocalFunctionName, LocalFunction> {
  const orchestrate = orchestrateHandler(() => services.orchestrate(secrets));
  const stage = stageHandler(() => services.stage(secrets));
  const approvalRequest = approvalRequestHandler(() => services.approvalRequest(secrets));
  const functions: Record<LocalFunctionName, LocalFunction> = {
    [ASL_FUNCTIONS.OrchestrateFunctionArn]: (event, context) => orchestrate(event as never, context),
    [ASL_FUNCTIONS.StageFunctionArn]: (event, context) => stage(event as never, context),
    [ASL_FUNCTIONS.ApprovalRequestFunctionArn]: (event, context) => approvalRequest(event as never, context),
  };
  for (const [name, fn] of Object.entries(functions)) registerFunction(cloud, name, fn, stageCalls, invocations);
  return functions;
}

/** On AWS the state machine's role invokes the function: each call is recorded as its request. */
function registerFunction(cloud: LocalCloud, name: string, fn: LocalFunction, stageCalls: InFlight, invocations: InvocationLog): void {
  const invoked: LocalFunction = (event, context) => {
    cloud.calls.record({ principal: 'state-machine', service: 'lambda', operation: 'Invoke', input: { FunctionName: localFunctionArn(name) } });
    return invocations.time(name, () => fn(event, context));
  };
  cloud.sfn.registerFunction(name, name === ASL_FUNCTIONS.StageFunctionArn ? stageCalls.track(invoked) : invoked);
}

/** Calls of a function that have not returned yet, so the finaliser can let them land first. */
class InFlight {
  private readonly calls = new Set<Promise<unknown>>();

  track(fn: LocalFunction): LocalFunction {
    return (event, context) => {
      const call = fn(event, context);
      this.calls.add(call);
      const forget = () => this.calls.delete(call);
      call.then(forget, forget);
      return call;
    };
  }

  idle(): boolean {
    return this.calls.size === 0;
  }

  /** Resolves once every call in flight now has settled (calls started later are not waited for). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.calls]);
  }
}

function localFunctionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
}

/** Enough of a Lambda context for middy and powertools when a handler is called outside the SFN. */
function lambdaContext(functionName: string) {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(functionName),
    memoryLimitInMB: '256',
    awsRequestId: `local-${Date.now().toString(36)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
