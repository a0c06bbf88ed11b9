// Fallbacks for serverless.yml's required parameters: resolved only when a parameter is missing,
// they stop the deploy with a message naming it (osls alone says "Value not found at param source"
// at the first place the value is used, e.g. an IAM statement index).
const HINTS = {
  githubRepos: 'the owner/name repository holding the app manifests, e.g. --param="githubRepos=my-org/ecs-apps"',
  taskRoleArn: 'the task role your task definitions name, e.g. --param="taskRoleArn=arn:aws:iam::<account>:role/<task-role>"',
  executionRoleArn:
    'the task execution role your task definitions name, e.g. --param="executionRoleArn=arn:aws:iam::<account>:role/<execution-role>"',
};

function missing(name) {
  return () => {
    throw new Error(`missing deploy parameter "${name}": ${HINTS[name]} (see docs/deploy.md, Parameters)`);
  };
}

module.exports = Object.fromEntries(Object.keys(HINTS).map((name) => [name, missing(name)]));
