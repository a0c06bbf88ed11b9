/**
 * Grants in serverless.yml (and the CLI policy in docs/deploy.md) that no request recorded in the
 * suites uses, each with the reason it stays. Keys are `<principal> <action> <resource>` as the
 * simulation prints them. Anything unused and not here fails test/iam; an entry here that the
 * suites do use fails too, so the list cannot go stale.
 */
export const JUSTIFIED_GRANTS: Record<string, string> = {
  // Step Functions checks these on the state machine's role when it sets up the vended log
  // delivery for LoggingConfiguration; AWS documents them on the execution role, on `*`.
  'state-machine logs:CreateLogDelivery *': 'Step Functions logging setup (vended logs), done by the service at deploy time',
  'state-machine logs:GetLogDelivery *': 'Step Functions logging setup (vended logs)',
  'state-machine logs:UpdateLogDelivery *': 'Step Functions logging setup (vended logs)',
  'state-machine logs:DeleteLogDelivery *': 'Step Functions logging setup (vended logs)',
  'state-machine logs:ListLogDeliveries *': 'Step Functions logging setup (vended logs)',
  'state-machine logs:PutResourcePolicy *': 'Step Functions logging setup (vended logs)',
  'state-machine logs:DescribeResourcePolicies *': 'Step Functions logging setup (vended logs)',
  'state-machine logs:DescribeLogGroups *': 'Step Functions logging setup (vended logs)',
  // The webhook hands a large push to an asynchronous invocation of itself (src/aws/lambda.ts);
  // the local stack runs that continuation in process (InProcessDeferrer), so no Invoke is recorded.
  'github-webhook lambda:InvokeFunction arn:aws:lambda:us-east-1:123456789012:function:stepcd-ci-github-webhook':
    'large-push hand-off to itself (LambdaDeferrer); in process locally',
  // GitHub App mode reads the App key instead of the token; the cold start fetches whichever is set.
  'github-webhook ssm:GetParameters arn:aws:ssm:us-east-1:123456789012:parameter/stepcd/ci/github-app-key':
    'GitHub App mode (githubAppId set) reads the App private key instead of the token',
  'orchestrate ssm:GetParameters arn:aws:ssm:us-east-1:123456789012:parameter/stepcd/ci/github-app-key':
    'GitHub App mode: Begin compares commits (ancestry) with the App key instead of the token',
  'github-deployments ssm:GetParameters arn:aws:ssm:us-east-1:123456789012:parameter/stepcd/ci/github-app-key':
    'GitHub App mode (githubAppId set) reads the App private key instead of the token',
  // Reached on paths the suites do not take; each stays because the code makes the call there.
  'stage ecs:StopTask arn:aws:ecs:us-east-1:123456789012:task/*':
    'ECS_RUN_TASK stops its task when the stage times out, and a rollback stops one still running; no suite lets a task outlive its stage',
  'approval-request states:SendTaskSuccess *': 'a retried approval request for an approval already decided answers the new token at once',
  'approval-request states:SendTaskFailure *': 'a retried approval request for an approval already rejected answers the new token at once',
  // The AWS target finds the stack's state machine by name; the local target reads .stepcd/local.json.
  'cli states:ListStateMachines *': 'stepcd --stage <name> finds stepcd-<stage>-deployment by name (src/cli/context.ts)',
};
