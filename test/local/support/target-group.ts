import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { localClientConfig } from '../../../src/aws/client-config.js';

/** A target group behind a load balancer's listener, as ECS needs before a task set may register in it. */
export async function seedTargetGroup(url: string, name: string): Promise<string> {
  const elb = new ElasticLoadBalancingV2Client(localClientConfig(url));
  try {
    const tg = await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip' }));
    const arn = tg.TargetGroups![0]!.TargetGroupArn!;
    const lb = await elb.send(new CreateLoadBalancerCommand({ Name: `${name}-alb`, Type: 'application', Subnets: ['subnet-a', 'subnet-b'] }));
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!,
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: arn }],
      }),
    );
    return arn;
  } finally {
    elb.destroy();
  }
}
