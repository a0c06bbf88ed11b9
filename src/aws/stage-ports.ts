import type { AwsClientConfig } from './client-config.js';
import type { StageLog, StagePorts } from '../stages/ports.js';
import { createEcsAdapter } from './ecs.js';
import { createElbAdapter } from './elbv2.js';
import { createAlarmAdapter } from './cloudwatch.js';
import { createKmsCipher } from './kms.js';

export interface AwsStagePortsOptions {
  ecs: AwsClientConfig;
  elbv2: AwsClientConfig;
  cloudwatch: AwsClientConfig;
  /** The stack's KMS key and the client config to reach it: spec.encryption's secrets are decrypted with it. */
  kms?: { config: AwsClientConfig; keyId: string };
  now?: () => number;
  log?: StageLog;
}

/** The ports the stage executors run on, over real (or local-cloud) AWS endpoints. */
export function createAwsStagePorts(options: AwsStagePortsOptions): StagePorts {
  return {
    ecs: createEcsAdapter(options.ecs),
    elb: createElbAdapter(options.elbv2),
    alarms: createAlarmAdapter(options.cloudwatch),
    ...(options.kms && { secrets: createKmsCipher(options.kms.config, options.kms.keyId) }),
    now: options.now ?? Date.now,
    log: options.log ?? (() => undefined),
  };
}
