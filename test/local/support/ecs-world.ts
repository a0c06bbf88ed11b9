import {
  CreateClusterCommand,
  CreateServiceCommand,
  CreateTaskSetCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type TaskSet,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach } from 'vitest';
import { localClientConfig } from '../../../src/aws/client-config.js';
import { startAwsServer, type AwsServer, type ServiceHandler } from '../../../src/local/aws-server.js';
import { ManualClock } from '../../../src/local/clock.js';
import { createEcsElbv2Emulator, type LocalEcsElbv2 } from '../../../src/local/ecs-elbv2/index.js';
import { LocalEventBus } from '../../../src/local/eventbridge/index.js';

type Timings = NonNullable<Parameters<typeof createEcsElbv2Emulator>[0]['timings']>;

/** One ECS emulator on a manual clock, publishing its events to a local bus, served over the wire. */
export interface EcsWorld {
  clock: ManualClock;
  bus: LocalEventBus;
  emulator: LocalEcsElbv2;
  server: AwsServer;
  ecs: ECSClient;
  /** A task set of `web` at 100% in the EXTERNAL service `web` of cluster `demo`. */
  createSet(): Promise<TaskSet>;
}

/**
 * Registers beforeEach/afterEach that build a fresh world for each test: cluster `demo`, EXTERNAL
 * service `web` (desiredCount 2), and the task definitions given (by default one `web` family).
 * The returned object's fields are the current test's.
 */
export function useEcsWorld(opts: {
  timings: Timings;
  taskDefinitions?: RegisterTaskDefinitionCommandInput[];
  /** More services on the same server (CloudWatch), built on the world's clock and bus. */
  alongside?: (clock: ManualClock, bus: LocalEventBus) => ServiceHandler[];
  maxAttempts?: number;
}): EcsWorld {
  const world = {} as EcsWorld;
  let stopEvents: () => void = () => undefined;
  beforeEach(async () => {
    world.clock = new ManualClock(Date.UTC(2026, 0, 2));
    world.bus = new LocalEventBus({ clock: world.clock });
    world.emulator = createEcsElbv2Emulator({ clock: world.clock, timings: opts.timings });
    world.server = await startAwsServer([world.emulator.handler, ...(opts.alongside?.(world.clock, world.bus) ?? [])]);
    world.ecs = new ECSClient(localClientConfig(world.server.url, opts.maxAttempts));
    stopEvents = world.emulator.emitEvents(world.bus, { tickMs: 2 });
    await world.ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    await world.ecs.send(new CreateServiceCommand({ cluster: 'demo', serviceName: 'web', desiredCount: 2, deploymentController: { type: 'EXTERNAL' } }));
    const definitions = opts.taskDefinitions ?? [
      { family: 'web', containerDefinitions: [{ name: 'web', image: 'registry.example.com/web:1.0.0', essential: true }] },
    ];
    for (const definition of definitions) await world.ecs.send(new RegisterTaskDefinitionCommand(definition));
  });
  afterEach(async () => {
    stopEvents();
    world.ecs.destroy();
    await world.server.close();
  });
  world.createSet = async () =>
    (await world.ecs.send(new CreateTaskSetCommand({ cluster: 'demo', service: 'web', taskDefinition: 'web', scale: { unit: 'PERCENT', value: 100 } })))
      .taskSet!;
  return world;
}
