import type { AwsClientConfig } from './client-config.js';
import type { StageLog, StagePorts } from '../stages/ports.js';
import { createEcsAdapter } from './ecs.js';
import { createElbAdapter } from './elbv2.js';
import { createAlarmAdapter } from './cloudwatch.js';

export interface AwsStagePortsOptions {
  ecs: AwsClientConfig;
  elbv2: AwsClientConfig;
  cloudwatch: AwsClientConfig;
  now?: () => number;
  log?: StageLog;
}

/** The ports the stage executors run on, over real (or local-cloud) AWS endpoints. */
export function createAwsStagePorts(options: AwsStagePortsOptions): StagePorts {
  return {
    ecs: createEcsAdapter(options.ecs),
    elb: createElbAdapter(options.elbv2),
    alarms: createAlarmAdapter(options.cloudwatch),
    now: options.now ?? Date.now,
    log: options.log ?? (() => undefined),
  };
}
