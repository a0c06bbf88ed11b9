import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../deploy/support/package-offline.js';
import { WHERE, type DeployedIdentity, type PolicyDocument } from './support/deployed-roles.js';

export const DEPLOY_DOC = join(REPO_ROOT, 'docs', 'deploy.md');
const BEGIN = '<!-- cli-policy -->';
const END = '<!-- /cli-policy -->';

/**
 * The least-privilege policy docs/deploy.md gives CLI users: the JSON block between the
 * cli-policy markers, with its `<region>`, `<account>` and `<stage>` filled for the ci stage.
 */
export function cliIdentity(stage: string, doc = readFileSync(DEPLOY_DOC, 'utf8')): DeployedIdentity {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/deploy.md has no ${BEGIN} … ${END} block`);
  const block = /```json\n([\s\S]*?)\n```/.exec(doc.slice(start, end));
  if (!block) throw new Error('the cli-policy block holds no ```json policy');
  const text = (block[1] as string).replaceAll('<region>', WHERE.region).replaceAll('<account>', WHERE.account).replaceAll('<stage>', stage);
  const policy = JSON.parse(text) as PolicyDocument;
  return {
    principal: 'cli',
    owner: 'docs/deploy.md (CLI policy)',
    arn: `arn:aws:iam::${WHERE.account}:user/stepcd-cli`,
    policies: [{ name: 'stepcd-cli', policy }],
  };
}
