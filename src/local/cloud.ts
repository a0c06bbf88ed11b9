import type { AwsClientConfigs } from '../aws/client-config.js';
import { localClientConfigs } from '../runtime/clients.js';
import { startAwsServer } from './aws-server.js';
import { CallRecorder } from './call-recorder.js';
import { ScaledClock, type Clock } from './clock.js';
import { startLocalDynamo } from './dynamo.js';
import { createEcsElbv2Emulator, type EmulatorTimings, type LocalEcsElbv2 } from './ecs-elbv2/index.js';
import { createLocalCloudWatch, type LocalCloudWatch } from './cloudwatch/index.js';
import { LocalEventBus } from './eventbridge/index.js';
import { LocalSfn, type WaitPolicy } from './sfn/index.js';
import { createLocalSts, type LocalSts } from './sts/index.js';
import { createLocalKms, type LocalKms } from './kms/index.js';
import { dirname, join } from 'node:path';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/client-config.js';

export interface LocalCloudOptions {
  /** Default: real time sped up 60×, so emulated ECS waits pass quickly. */
  clock?: Clock;
  /** Persist DynamoDB here (LevelDB); in memory when absent. */
  dynamoPath?: string;
  /** Real ms each ASL Wait state sleeps (the clock still advances by its nominal time). Default 5. */
  waitMs?: number;
  /** Real ms before each ASL retry. Default 10. */
  retryIntervalMs?: number;
  /** Per Wait state name: its own real sleep, or no advance of the shared clock. */
  waitPolicy?: Record<string, WaitPolicy>;
  timings?: Partial<EmulatorTimings>;
  tableName?: string;
  /** POST every EventBridge event to this local URL as well. */
  forwardEventsUrl?: string;
  /** One line per EventBridge event (the CLI prints them). */
  logEvent?: (line: string) => void;
  /** What STS GetCallerIdentity answers; default `arn:aws:iam::000000000000:user/local-operator`. */
  callerArn?: string;
  /** Keep every AWS request in `calls`, by caller (the tests do, for test/iam). Default off. */
  recordCalls?: boolean;
}

export interface LocalCloud {
  clock: Clock;
  /** The one AWS port: ECS, ELBv2, CloudWatch (alarms), SFN, EventBridge and STS. */
  url: string;
  dynamoUrl: string;
  tableName: string;
  eventBusName: 'stepcd';
  /**
   * A config per service, each with an explicit endpoint and static local credentials, so nothing in
   * the environment (AWS_ENDPOINT_URL*, profiles) can redirect a client. `clientConfigs.sfn` carries
   * `disableHostPrefix: true`: build the SFN client as `new SFNClient(clientConfigs.sfn)`. Lambda has no
   * local endpoint of its own; its config points at the AWS port, which refuses its calls.
   */
  clientConfigs: AwsClientConfigs;
  /** Every AWS request made to this cloud, by caller, when `recordCalls` is on (test/iam simulates them). */
  calls: CallRecorder;
  emulator: LocalEcsElbv2;
  /** Alarms only; tests create and flip them with the real CloudWatch client. */
  cloudwatch: LocalCloudWatch;
  sfn: LocalSfn;
  events: LocalEventBus;
  /** GetCallerIdentity: who the CLI records as the actor. */
  sts: LocalSts;
  /** The stand-in for the stack's KMS key (spec.encryption); kept next to DynamoDB's files when on disk. */
  kms: LocalKms;
  /** Stops every execution and server; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the whole local cloud on free loopback ports in one call; `stop()` releases every handle. */
export async function startLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const clock = opts.clock ?? new ScaledClock(60);
  const calls = new CallRecorder(opts.recordCalls ?? false);
  const dynamo = await startLocalDynamo({ path: opts.dynamoPath, tableName: opts.tableName, recorder: calls });
  const events = new LocalEventBus({ clock, forwardUrl: opts.forwardEventsUrl, log: opts.logEvent });
  const sfn = new LocalSfn({
    clock,
    events,
    waitMs: opts.waitMs,
    retryIntervalMs: opts.retryIntervalMs,
    ...(opts.waitPolicy ? { waitPolicy: opts.waitPolicy } : {}),
  });
  const emulator = createEcsElbv2Emulator({ clock, timings: opts.timings });
  const cloudwatch = createLocalCloudWatch(clock, events);
  const sts = createLocalSts(opts.callerArn);
  const kms = createLocalKms({
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    ...(opts.dynamoPath ? { keyFile: join(dirname(opts.dynamoPath), 'local-kms.key') } : {}),
  });
  let server;
  try {
    server = await startAwsServer([calls.handler, emulator.handler, cloudwatch.handler, sfn.handler, events.handler, sts.handler, kms.handler]);
  } catch (err) {
    await dynamo.stop();
    throw err;
  }
  const aws = server;
  // ECS reports steady states and stopped tasks to the account's default bus, as on AWS.
  const stopEcsEvents = emulator.emitEvents(events);
  let stopping: Promise<void> | undefined;
  return {
    clock,
    url: aws.url,
    dynamoUrl: dynamo.url,
    tableName: dynamo.tableName,
    eventBusName: 'stepcd',
    clientConfigs: localClientConfigs({ awsUrl: aws.url, dynamoUrl: dynamo.url }),
    calls,
    emulator,
    cloudwatch,
    sfn,
    events,
    sts,
    kms,
    stop() {
      stopping ??= (async () => {
        stopEcsEvents();
        // Stopping an execution emits its status change, whose subscriber (the finaliser) may start a
        // rollback execution: settle until neither runs, or dynalite closes under a live request.
        for (let round = 0; round < 5; round++) {
          await sfn.shutdown();
          await events.drain();
          if (!sfn.hasRunning()) break;
        }
        await aws.close();
        await dynamo.stop();
      })();
      return stopping;
    },
  };
}
