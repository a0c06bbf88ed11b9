import { createDocumentClient } from '../aws/dynamodb.js';
import { createEcsAdapter } from '../aws/ecs.js';
import { createElbAdapter } from '../aws/elbv2.js';
import { executionPlanReader } from '../aws/execution-plan.js';
import { createSfnClient } from '../aws/sfn.js';
import { DynamoDriftStore } from '../aws/history/dynamo-drift.js';
import { readAppStatus, type AppStatus } from '../status/app-status.js';
import type { Target } from './context.js';
import { CliError } from './errors.js';
import { table, type Output } from './output.js';

/** `stepcd status <app>`: read-only; exit 1 when the app has drifted from its last good deployment. */
export async function statusCommand(opts: { app: string }, target: Target, out: Output): Promise<number> {
  const readPlan = executionPlanReader(createSfnClient(target.clients.sfn));
  const status = await readAppStatus(
    {
      history: target.history,
      planOf: (record) => (record.executionArn ? readPlan(record.executionArn) : Promise.resolve(undefined)),
      ecs: createEcsAdapter(target.clients.ecs),
      elb: createElbAdapter(target.clients.elbv2),
      drift: new DynamoDriftStore(createDocumentClient(target.clients.dynamodb), target.config.tableName),
    },
    opts.app,
  );
  if (!status) throw new CliError(`no deployment of app ${opts.app} on ${target.label}`, { hint: 'app names are spec.name; see stepcd deployments list' });
  out.data(status);
  for (const line of statusLines(status)) out.line(line);
  return status.drift?.status === 'DRIFTED' ? 1 : 0;
}

export function statusLines(s: AppStatus): string[] {
  const lines = [`app ${s.app}`];
  if (s.service) {
    const svc = s.service;
    lines.push(`  service   ${svc.serviceName} in ${svc.cluster}: ${svc.status}${'desiredCount' in svc ? `, desired ${svc.desiredCount}` : ''}`);
  }
  if (s.deployed) lines.push(`  deployed  commit ${s.deployed.commitSha.slice(0, 7)} (deployment ${s.deployed.deploymentId}, ${s.deployed.at})`);
  if (s.latest && s.latest.deploymentId !== s.deployed?.deploymentId) {
    lines.push(`  latest    ${s.latest.status} commit ${s.latest.commitSha.slice(0, 7)} (deployment ${s.latest.deploymentId})`);
  }
  if (s.running) lines.push(`  running   deployment ${s.running}${s.queue.length > 0 ? `, ${s.queue.length} queued` : ''}`);
  if (s.drift) {
    lines.push(`  drift     ${s.drift.status === 'DRIFTED' ? `DRIFTED (${s.drift.items.length} difference(s))` : 'none'}`);
    for (const i of s.drift.items) lines.push(`            ${i.field}: expected ${i.expected}, found ${i.actual}`);
  }
  if (s.taskSets.length > 0) {
    lines.push(
      '',
      ...table(
        ['TASK SET', 'STATUS', 'STABILITY', 'SCALE', 'RUNNING/DESIRED', 'PENDING', 'TASK DEFINITION'],
        s.taskSets.map((t) => [
          t.id,
          t.status,
          t.stabilityStatus,
          `${t.scalePercent}%`,
          `${t.runningCount}/${t.computedDesiredCount}`,
          String(t.pendingCount),
          t.taskDefinitionArn,
        ]),
      ),
    );
  }
  if (s.rules.length > 0) {
    lines.push(
      '',
      ...table(
        ['RULE', 'DEFAULT', 'PRIMARY', 'CANARY'],
        s.rules.map((r) => [r.ruleArn, r.isDefault ? 'yes' : 'no', `${r.weights.primary}%`, `${r.weights.canary}%`]),
      ),
    );
  }
  return lines;
}
