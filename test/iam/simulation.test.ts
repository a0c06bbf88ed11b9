import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../deploy/support/package-offline.js';
import { asArray, props, resourcesOfType } from '../deploy/support/template.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { blockActionsPayload, formBody, signedHeaders } from '../support/slack-sign.js';
import { cliIdentity } from './cli-policy.js';
import { JUSTIFIED_GRANTS } from './justified-grants.js';
import { CALL_LOG_DIR_ENV, readCallLogs, type CallLogEntry } from './support/call-log.js';
import { resolve, WHERE, type DeployedIdentity } from './support/deployed-roles.js';
import { lambdaPlatformCalls, packageAndColdStart, STAGE, type DeployedStack } from './support/deployed-stack.js';
import { iamRequestsFor } from './support/iam-requests.js';
import { allowed, describeDenials, grantKey, iamRequestsOf, resourcePolicyOf, simulate, unusedGrants } from './support/simulate.js';

const TASK_ROLE = `arn:aws:iam::000000000000:role/stepcd-${STAGE}-ecs-task-role`;
const EXECUTION_ROLE = `arn:aws:iam::000000000000:role/stepcd-${STAGE}-ecs-execution-role`;
const APPROVER = 'U0IAMREVIEW';

let deployed: DeployedStack;
let identities: DeployedIdentity[];
let own: StackHarness;
let ownCalls: CallLogEntry;

/** Test files that run a local stack and so record calls: a run is whole when every one of them did. */
function recordingTestFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'iam') walk(path);
      } else if (name.endsWith('.test.ts') && /startStackHarness\(|fault-runner\.js/.test(readFileSync(path, 'utf8'))) out.push(relative(REPO_ROOT, path));
    }
  };
  walk(join(REPO_ROOT, 'test'));
  return out.sort();
}

function identity(principal: string): DeployedIdentity {
  const found = identities.find((i) => i.principal === principal);
  if (!found) throw new Error(`no deployed identity for ${principal}`);
  return found;
}

function withStatements(of: DeployedIdentity, edit: (statement: Record<string, unknown>) => Record<string, unknown> | undefined): DeployedIdentity {
  const policies = of.policies.map((p) => ({
    ...p,
    policy: { ...p.policy, Statement: p.policy.Statement.map((s) => edit(structuredClone(s))).filter((s): s is Record<string, unknown> => !!s) },
  }));
  return { ...of, policies };
}

beforeAll(async () => {
  deployed = await packageAndColdStart();
  identities = [...deployed.identities, cliIdentity(STAGE)];
  // A flow of this file's own: a first deployment whose task definition names a task role and an
  // execution role, so RegisterTaskDefinition passes both (the suites' examples name none).
  own = await startStackHarness();
  const files = await exampleFiles(['simple']);
  const taskdef = 'apps/simple/taskdef.yaml';
  files[taskdef] = `${files[taskdef]}taskRoleArn: ${TASK_ROLE}\nexecutionRoleArn: ${EXECUTION_ROLE}\n`;
  await own.deployBaseline(files, 'simple with roles');
  // Then a pipeline that waits for approval, rejected with the Slack button (the suites reject
  // through the CLI and the approval service, never through slack-interactions).
  const app = 'apps/simple/app.pipecd.yaml';
  const pipeline = `${files[app]}  pipeline:\n    stages:\n      - name: WAIT_APPROVAL\n        with:\n          approvers: [${APPROVER}]\n      - name: ECS_PRIMARY_ROLLOUT\n`;
  const { id, arn } = await own.deploy({ [app]: pipeline, ...(await own.imageBump('simple', '1.1.0')) }, 'simple: pipeline');
  await own.waitForStatus(id, 'WAITING_APPROVAL');
  const body = formBody(blockActionsPayload({ user: APPROVER, actionId: 'stepcd_reject', deploymentId: id, stageIndex: 0 }));
  const headers = signedHeaders(own.stack.secrets.slackSigningSecret, body, Math.floor(Date.now() / 1000));
  const click = await fetch(`${own.stack.front.url}/slack/interactions`, { method: 'POST', headers, body });
  if (click.status !== 200) throw new Error(`the Slack reject answered ${click.status}`);
  const ended = await own.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
  if (ended.status !== 'FAILED' && ended.status !== 'SUCCEEDED') throw new Error(`the rejected deployment ended ${ended.status}`);
  const record = await own.stack.core.history.getDeployment(id);
  if (record?.status !== 'FAILURE') throw new Error(`the rejected deployment is ${record?.status}, not FAILURE`);
  const { tableName, eventBusName } = own.stack.cloud;
  ownCalls = {
    file: 'test/iam/simulation.test.ts',
    names: { tableName, eventBusName, stateMachineArn: own.stack.stateMachineArn },
    calls: [...own.stack.cloud.calls.calls],
  };
}, 240_000);

afterAll(async () => {
  await own?.stop();
});

describe('IAM: recorded requests simulated against the packaged template', () => {
  describe('a first deployment run here', () => {
    it('attributes the calls to the functions that make them', () => {
      const principals = new Set(ownCalls.calls.map((c) => c.principal));
      for (const fn of ['github-webhook', 'orchestrate', 'stage', 'approval-request', 'slack-interactions', 'state-machine'])
        expect(principals, fn).toContain(fn);
      expect(ownCalls.calls).toContainEqual(expect.objectContaining({ principal: 'slack-interactions', service: 'states', operation: 'SendTaskFailure' }));
    });

    it('is allowed, the Slack reject and PassRole included, with the role ARN and iam:PassedToService', async () => {
      const result = await simulate([ownCalls], deployed.template, identities);
      expect(describeDenials(result.denials)).toBe('');
      const passRole = result.requests.filter((r) => r.action === 'iam:PassRole');
      expect(passRole.map((r) => [r.principal, r.resource, r.context['iam:PassedToService']]).sort()).toEqual(
        [
          ['stage', EXECUTION_ROLE.replace('000000000000', WHERE.account), 'ecs-tasks.amazonaws.com'],
          ['stage', TASK_ROLE.replace('000000000000', WHERE.account), 'ecs-tasks.amazonaws.com'],
        ].sort(),
      );
    });
  });

  describe('the simulation can fail', () => {
    it('denies SendTaskSuccess when the grant is scoped to the state machine ARN (no resource types)', async () => {
      const [request] = await iamRequestsFor(
        { principal: 'slack-interactions', service: 'states', operation: 'SendTaskSuccess', input: { taskToken: 't', output: '{}' } },
        WHERE,
      );
      expect(request?.resource).toBe('*');
      const slack = identity('slack-interactions');
      const machineArn = `arn:aws:states:${WHERE.region}:${WHERE.account}:stateMachine:stepcd-${STAGE}-deployment`;
      const narrowed = withStatements(slack, (s) => (asArray(s.Action as string[]).includes('states:SendTaskSuccess') ? { ...s, Resource: machineArn } : s));
      expect(await allowed(narrowed, request!)).toBe('ImplicitlyDenied');
      expect(await allowed(slack, request!)).toBe('Allowed');
    });

    it('denies PassRole to another service, and of a role the policy does not list', async () => {
      const passes = (await iamRequestsOf([ownCalls], deployed.template)).filter((r) => r.action === 'iam:PassRole');
      expect(passes).toHaveLength(2);
      const stage = identity('stage');
      for (const request of passes) {
        expect(await allowed(stage, { ...request, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } })).toBe('ImplicitlyDenied');
      }
      const onlyTaskRole = withStatements(stage, (s) =>
        asArray(s.Action as string[]).includes('iam:PassRole') ? { ...s, Resource: TASK_ROLE.replace('000000000000', WHERE.account) } : s,
      );
      const executionPass = passes.find((r) => r.resource.endsWith('ecs-execution-role'))!;
      expect(await allowed(onlyTaskRole, executionPass)).toBe('ImplicitlyDenied');
    });

    it('denies an ECS write outside the cluster a condition on ecs:cluster names', async () => {
      const requests = await iamRequestsOf([ownCalls], deployed.template);
      const create = requests.find((r) => r.principal === 'stage' && r.action === 'ecs:CreateTaskSet')!;
      expect(create.context['ecs:cluster']).toMatch(/:cluster\//);
      const pinned = withStatements(identity('stage'), (s) =>
        asArray(s.Action as string[]).includes('ecs:CreateTaskSet')
          ? { ...s, Condition: { ArnEquals: { 'ecs:cluster': `${create.context['ecs:cluster']}-other` } } }
          : s,
      );
      expect(await allowed(pinned, create)).toBe('ImplicitlyDenied');
      expect(await allowed(identity('stage'), create)).toBe('Allowed');
    });

    it('lets only the stage role decrypt with the stack key, and the CLI encrypt with it by its alias only', async () => {
      const keyArn = resolve(deployed.template, { 'Fn::GetAtt': ['SecretsKey', 'Arn'] }) as string;
      const alias = resolve(deployed.template, { Ref: 'SecretsKeyAlias' }) as string;
      expect(alias).toBe(`alias/stepcd-${STAGE}`);
      const resourcePolicy = resourcePolicyOf(deployed.template, keyArn);
      expect(resourcePolicy).toBeDefined();
      const decrypt = { principal: '', action: 'kms:Decrypt', resource: keyArn, context: {}, via: 'kms:Decrypt', resourcePolicy: resourcePolicy! };
      const decrypting: string[] = [];
      for (const who of identities) if ((await allowed(who, decrypt)) === 'Allowed') decrypting.push(who.principal);
      expect(decrypting).toEqual(['stage']);
      const encrypt = { ...decrypt, action: 'kms:Encrypt', via: 'kms:Encrypt' };
      expect(await allowed(identity('cli'), { ...encrypt, context: { 'kms:RequestAlias': alias } })).toBe('Allowed');
      expect(await allowed(identity('cli'), { ...encrypt, context: { 'kms:RequestAlias': 'alias/another-key' } })).toBe('ImplicitlyDenied');
      expect(await allowed(identity('cli'), encrypt)).toBe('ImplicitlyDenied');
    });

    it('reports a grant no request uses', async () => {
      const requests = await iamRequestsOf([ownCalls], deployed.template);
      const stage = identity('stage');
      const extra = {
        ...stage,
        policies: [
          ...stage.policies,
          { name: 'extra', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:DeleteCluster', Resource: '*' }] } },
        ],
      };
      const unused = await unusedGrants([extra], requests);
      expect(unused.map(grantKey)).toContain('stage ecs:DeleteCluster *');
    });
  });

  describe('the whole run', () => {
    const dir = process.env[CALL_LOG_DIR_ENV];
    const suite = () => (dir ? readCallLogs(dir) : []);
    // This file's own flow is logged only when its stack stops (afterAll): add it here.
    const everything = () => {
      const entries = [...suite(), ownCalls];
      return [...entries, deployed.coldStarts, lambdaPlatformCalls(deployed.template, entries)];
    };

    it('allows every request each function, the state machine and the CLI made in the suites', async (ctx) => {
      const entries = suite();
      if (entries.filter((e) => e.file !== ownCalls.file).length === 0) ctx.skip('no other test file ran in this run; npm test records them all');
      const result = await simulate(everything(), deployed.template, identities);
      expect(result.unknownPrincipals, 'callers with no role or policy to simulate against').toEqual([]);
      expect(describeDenials(result.denials)).toBe('');
      expect(result.requests.length).toBeGreaterThan(0);
    });

    it('uses every grant, unless the grant is listed with a reason in test/iam/justified-grants.ts', async (ctx) => {
      const entries = suite();
      const ran = new Set(entries.map((e) => e.file));
      const missing = recordingTestFiles().filter((f) => !ran.has(f));
      if (missing.length > 0) ctx.skip(`a partial run (no calls from ${missing.join(', ')}); unused grants are judged on the whole suite`);
      const requests = (await simulate(everything(), deployed.template, identities)).requests;
      const unused = (await unusedGrants(identities, requests)).map(grantKey);
      expect(
        unused.filter((key) => !(key in JUSTIFIED_GRANTS)),
        'grants no recorded request used',
      ).toEqual([]);
      expect(
        Object.keys(JUSTIFIED_GRANTS).filter((key) => !unused.includes(key)),
        'justified as unused, but used (or no longer granted)',
      ).toEqual([]);
    });
  });

  describe('EventBridge rule targets', () => {
    it('lets each rule reach its target: Lambda targets through a permission for that rule, others through the target role', async () => {
      const template = deployed.template;
      const rules = resourcesOfType(template, 'AWS::Events::Rule');
      expect(rules.length).toBeGreaterThan(0);
      let checked = 0;
      for (const [ruleId, rule] of rules) {
        const ruleArn = resolve(template, { 'Fn::GetAtt': [ruleId, 'Arn'] }) as string;
        for (const target of asArray(resolve(template, props(rule).Targets) as Array<{ Arn: string; RoleArn?: string }>)) {
          if (target.Arn.includes(':lambda:')) {
            const permission = resourcesOfType(template, 'AWS::Lambda::Permission')
              .filter(([, p]) => resolve(template, props(p).FunctionName) === target.Arn)
              .map(([, p]) => resolve(template, props(p)) as { FunctionName: string; Principal: string; Action: string; SourceArn?: string });
            const policy = {
              Version: '2012-10-17',
              Statement: permission.map((p) => ({
                Effect: 'Allow',
                Principal: { Service: p.Principal },
                Action: p.Action,
                Resource: p.FunctionName,
                ...(p.SourceArn ? { Condition: { ArnLike: { 'aws:SourceArn': p.SourceArn } } } : {}),
              })),
            };
            const result = await runSimulation(
              {
                request: {
                  principal: 'events.amazonaws.com',
                  action: 'lambda:InvokeFunction',
                  resource: { resource: target.Arn, accountId: WHERE.account },
                  contextVariables: { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': WHERE.account },
                },
                identityPolicies: [],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                resourcePolicy: policy,
              },
              {},
            );
            expect(result.resultType === 'error' ? JSON.stringify(result.errors) : result.overallResult, `${ruleId} → ${target.Arn}`).toBe('Allowed');
          } else {
            expect(target.RoleArn, `${ruleId} → ${target.Arn} needs a role`).toBeTruthy();
            const roleId = resourcesOfType(template, 'AWS::IAM::Role')
              .map(([id]) => id)
              .find((id) => resolve(template, { 'Fn::GetAtt': [id, 'Arn'] }) === target.RoleArn);
            const role = template.Resources[roleId ?? ''];
            const policies = asArray(props(role!).Policies as Array<{ PolicyName: string; PolicyDocument: unknown }>).map((p) => ({
              name: p.PolicyName,
              policy: resolve(template, p.PolicyDocument),
            }));
            const action = TARGET_ACTION[target.Arn.split(':')[2] as string];
            expect(action, `no invoke action known for ${target.Arn}`).toBeTruthy();
            const request = { principal: roleId!, action: action!, resource: target.Arn, context: {}, via: ruleId };
            expect(await allowed({ arn: target.RoleArn!, policies: policies as DeployedIdentity['policies'] }, request), `${ruleId} → ${target.Arn}`).toBe(
              'Allowed',
            );
          }
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(2);
    });
  });
});

/** What EventBridge calls on a role-based target, by the target ARN's service. */
const TARGET_ACTION: Record<string, string> = {
  codebuild: 'codebuild:StartBuild',
  states: 'states:StartExecution',
  sqs: 'sqs:SendMessage',
  sns: 'sns:Publish',
  events: 'events:PutEvents',
};
