import { describe, expect, it } from 'vitest';
import { awsConsoleLinks } from '../../src/cli/dashboard.js';
import { sampleRecord } from '../slack/fixtures.js';

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:stepcd-prod-deployment:web-0123456-abc';

describe('AWS console links of a deployment', () => {
  it('success: the execution, and each function log group filtered to the deployment id', () => {
    const links = awsConsoleLinks('eu-west-1', 'prod');
    const record = sampleRecord({ deploymentId: 'd-42', executionArn: EXECUTION });

    expect(links.execution(record)).toEqual({
      label: 'Step Functions execution',
      url: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`,
    });
    expect(links.logs(record).map((l) => l.label)).toEqual(['orchestrate logs', 'stage logs', 'approval-request logs']);
    // The console's own fragment encoding: the group name and the pattern URI-encoded twice, `%` as `$`.
    expect(links.logs(record)[1]?.url).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Fstepcd-prod-stage/log-events/$3FfilterPattern$3D$2522d-42$2522',
    );
  });

  it('fail: no execution yet, no execution link; no stage known, no log links', () => {
    const links = awsConsoleLinks('eu-west-1', undefined);
    const record = sampleRecord();

    expect(links.execution(record)).toBeUndefined();
    expect(links.logs(record)).toEqual([]);
  });
});
