import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClientConfigs } from '../aws/client-config.js';
import type { ManifestSource } from '../gitops/manifest-source.js';
import { isAppConfigPath, loadApp } from '../manifest/index.js';
import type { LocalEcsElbv2 } from './ecs-elbv2/index.js';

/** What one app of the watched repository needs to exist before stepcd deploys it. */
export interface RepositoryApp {
  name: string;
  cluster: string;
  primary?: string;
  canary?: string;
}

/**
 * The apps of a repository at `sha`, as their (valid) manifests name their infrastructure. An invalid
 * app is left out: its push ends TRIGGER_FAILED, which says why better than a missing target group.
 */
export async function readRepositoryApps(source: ManifestSource, sha: string): Promise<RepositoryApp[]> {
  const configs = (await source.listFiles(sha)).filter(isAppConfigPath).sort();
  const apps: RepositoryApp[] = [];
  for (const configPath of configs) {
    const loaded = await loadApp({ readFile: (path) => source.readFile(sha, path).catch(() => undefined) }, configPath);
    if (!loaded.ok) continue;
    const { app } = loaded;
    const cluster = app.serviceDefinition.cluster;
    apps.push({
      name: app.name,
      cluster: cluster.slice(cluster.lastIndexOf('/') + 1),
      ...(app.targetGroups.primary ? { primary: app.targetGroups.primary.targetGroupArn } : {}),
      ...(app.targetGroups.canary ? { canary: app.targetGroups.canary.targetGroupArn } : {}),
    });
  }
  return apps;
}

/**
 * The infrastructure `stepcd local` creates for the watched repository (Terraform's job on AWS): each
 * cluster the service definitions name, each target group at the ARN the app configs name, and one
 * ALB whose listener routes `/<app>/` to each app's target groups (the first app also takes the default
 * rule). Incremental: call it again after a commit and it creates only what is new.
 */
export class RepositoryTopology {
  private readonly clusters = new Set<string>();
  private readonly targetGroups = new Set<string>();
  private readonly routed = new Set<string>();
  private listenerArn?: string;
  private nextPriority = 10;

  constructor(
    private readonly clients: AwsClientConfigs,
    private readonly emulator: Pick<LocalEcsElbv2, 'pinTargetGroupArn'>,
  ) {}

  /** Creates what the apps need and is missing; returns one line per thing created or skipped. */
  async ensure(apps: readonly RepositoryApp[]): Promise<string[]> {
    const ecs = new ECSClient(this.clients.ecs);
    const elb = new ElasticLoadBalancingV2Client(this.clients.elbv2);
    const lines: string[] = [];
    try {
      for (const app of apps) {
        if (!this.clusters.has(app.cluster)) {
          await ecs.send(new CreateClusterCommand({ clusterName: app.cluster }));
          this.clusters.add(app.cluster);
          lines.push(`ECS cluster ${app.cluster}`);
        }
        const groups = [app.primary, app.canary].filter((g): g is string => g !== undefined);
        let usable = true;
        for (const arn of groups) {
          if (this.targetGroups.has(arn)) continue;
          if (!this.emulator.pinTargetGroupArn(arn)) {
            lines.push(`skipped ${app.name}: target group name of ${arn} is already used by another ARN`);
            usable = false;
            continue;
          }
          await elb.send(new CreateTargetGroupCommand({ Name: arn.split('/')[1], Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip' }));
          this.targetGroups.add(arn);
          lines.push(`target group ${arn}`);
        }
        if (usable && app.primary && !this.routed.has(app.name)) {
          lines.push(...(await this.route(elb, app.name, { primary: app.primary, ...(app.canary ? { canary: app.canary } : {}) })));
          this.routed.add(app.name);
        }
      }
      return lines;
    } finally {
      ecs.destroy();
      elb.destroy();
    }
  }

  private async route(elb: ElasticLoadBalancingV2Client, app: string, pair: { primary: string; canary?: string }): Promise<string[]> {
    const lines: string[] = [];
    if (!this.listenerArn) {
      const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'stepcd-local', Type: 'application', Subnets: ['subnet-local-a', 'subnet-local-b'] }));
      const listener = await elb.send(
        new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!, Port: 80, Protocol: 'HTTP', DefaultActions: [forward(pair)] }),
      );
      this.listenerArn = listener.Listeners![0]!.ListenerArn!;
      lines.push(`load balancer stepcd-local, listener :80 (default rule → ${app})`);
    }
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: this.listenerArn,
        Priority: this.nextPriority,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/${app}/*`] } }],
        Actions: [forward(pair)],
      }),
    );
    this.nextPriority += 10;
    lines.push(`listener rule /${app}/* → ${pair.canary ? 'primary 100 / canary 0' : 'primary'}`);
    return lines;
  }
}

/** 100/0 between the pair, sticky, as a canary listener is usually set up before stepcd runs. */
function forward(pair: { primary: string; canary?: string }): Action {
  const groups = [{ TargetGroupArn: pair.primary, Weight: 100 }, ...(pair.canary ? [{ TargetGroupArn: pair.canary, Weight: 0 }] : [])];
  return { Type: 'forward', ForwardConfig: { TargetGroups: groups, TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 } } };
}
