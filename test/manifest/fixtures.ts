import { stringify } from 'yaml';
import type { ManifestFiles } from '../../src/manifest/index.js';

export const PRIMARY_ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-primary/0123456789abcdef';
export const CANARY_ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-canary/fedcba9876543210';

/** Files held in memory, keyed by repo-relative path; values that are not strings are written as YAML. */
export function memoryFiles(files: Record<string, unknown>): ManifestFiles & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async readFile(path) {
      reads.push(path);
      const v = files[path];
      if (v === undefined) return undefined;
      return typeof v === 'string' ? v : stringify(v);
    },
  };
}

/** A valid canary app in the repository root: app.pipecd.yaml, servicedef.yaml, taskdef.yaml. */
export function canaryApp() {
  return {
    config: {
      apiVersion: 'pipecd.dev/v1beta1',
      kind: 'ECSApp',
      spec: {
        name: 'web',
        labels: { env: 'dev' },
        input: {
          serviceDefinitionFile: 'servicedef.yaml',
          taskDefinitionFile: 'taskdef.yaml',
          targetGroups: {
            primary: { targetGroupArn: PRIMARY_ARN, containerName: 'web', containerPort: 80 },
            canary: { targetGroupArn: CANARY_ARN, containerName: 'web', containerPort: 80 },
          },
        },
        pipeline: {
          stages: [
            { name: 'ECS_CANARY_ROLLOUT', with: { scale: 30 } },
            { name: 'ECS_TRAFFIC_ROUTING', with: { canary: 20 } },
            { name: 'WAIT_APPROVAL' },
            { name: 'ECS_PRIMARY_ROLLOUT' },
            { name: 'ECS_TRAFFIC_ROUTING', with: { primary: 100 } },
            { name: 'ECS_CANARY_CLEAN' },
          ],
        },
      } as Record<string, any>,
    },
    service: {
      cluster: 'demo',
      serviceName: 'web',
      desiredCount: 2,
      deploymentController: { type: 'EXTERNAL' },
    } as Record<string, any>,
    task: {
      family: 'web',
      networkMode: 'awsvpc',
      containerDefinitions: [{ name: 'web', image: 'registry.example.com/web:1.0.0', portMappings: [{ containerPort: 80 }] }],
    } as Record<string, any>,
  };
}

export type AppFixture = ReturnType<typeof canaryApp>;

export function filesOf(app: AppFixture): ReturnType<typeof memoryFiles> {
  return memoryFiles({ 'app.pipecd.yaml': app.config, 'servicedef.yaml': app.service, 'taskdef.yaml': app.task });
}
