import { createHash } from 'node:crypto';

/** First `length` hex chars of sha256(text): the deterministic part of emulator ids. */
export function hexOf(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** 19 decimal digits derived from `seed`, never starting with 0 (as real task set ids look). */
export function digitsOf(seed: string, length = 19): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  let digits = '';
  for (const ch of hex) {
    digits += String(parseInt(ch, 16) % 10);
    if (digits.length === length) break;
  }
  return digits.startsWith('0') ? `1${digits.slice(1)}` : digits;
}

/** Builds ARNs for one region and account, exactly as the real services spell them. */
export class ArnFactory {
  constructor(
    readonly region: string,
    readonly account: string,
  ) {}
  private ecs(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.account}:${resource}`;
  }
  private elb(resource: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.account}:${resource}`;
  }
  cluster(name: string): string {
    return this.ecs(`cluster/${name}`);
  }
  service(cluster: string, name: string): string {
    return this.ecs(`service/${cluster}/${name}`);
  }
  taskSet(cluster: string, service: string, id: string): string {
    return this.ecs(`task-set/${cluster}/${service}/${id}`);
  }
  taskDefinition(family: string, revision: number): string {
    return this.ecs(`task-definition/${family}:${revision}`);
  }
  task(cluster: string, id: string): string {
    return this.ecs(`task/${cluster}/${id}`);
  }
  /** Deterministic in the name, so manifests can name a load balancer before it exists. */
  loadBalancer(name: string): string {
    return this.elb(`loadbalancer/app/${name}/${hexOf(name)}`);
  }
  /** Target group ARNs fixed ahead of creation, by name (see pinTargetGroup). */
  private readonly pinnedTargetGroups = new Map<string, string>();

  /**
   * Deterministic in the name, so manifests can name a target group before it exists; or the ARN a
   * repository's manifests already name for it (on AWS the id is random, and manifests copy it).
   */
  targetGroup(name: string): string {
    return this.pinnedTargetGroups.get(name) ?? this.elb(`targetgroup/${name}/${hexOf(name)}`);
  }

  /** Makes CreateTargetGroup of this ARN's name return exactly this ARN; false if the name is pinned to another. */
  pinTargetGroup(arn: string): boolean {
    const name = arn.split('/')[1];
    if (!name) return false;
    const pinned = this.pinnedTargetGroups.get(name);
    if (pinned !== undefined) return pinned === arn;
    this.pinnedTargetGroups.set(name, arn);
    return true;
  }
  listener(lbName: string, lbId: string, id: string): string {
    return this.elb(`listener/app/${lbName}/${lbId}/${id}`);
  }
  rule(lbName: string, lbId: string, listenerId: string, id: string): string {
    return this.elb(`listener-rule/app/${lbName}/${lbId}/${listenerId}/${id}`);
  }
}

/** The last path segment of an ARN (or the string itself when it is not an ARN). */
export function lastSegment(arnOrName: string): string {
  const i = arnOrName.lastIndexOf('/');
  return i < 0 ? arnOrName : arnOrName.slice(i + 1);
}
