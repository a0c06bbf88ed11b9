import { planApp } from '../../plan/preview.js';
import type { LiveEcsReader } from '../../plan/preview.js';
import type { ManifestSource } from '../../gitops/manifest-source.js';
import type { StepcdLogger } from '../../logging.js';
import { dirOf, isAppConfigPath, loadApp, verifyApp, type ManifestFiles } from '../../manifest/index.js';
import type { GithubRest } from '../github-rest.js';
import type { PullRequestEvent } from './pr-event.js';
import { annotationsOf, COMMENT_MARKER, conclusionOf, summaryMarkdown, titleOf, type AppCheck } from './pr-report.js';

export interface PullRequestDeps {
  source: Pick<ManifestSource, 'changedPaths' | 'listFiles' | 'readFile'>;
  liveEcs: LiveEcsReader;
  github: GithubRest;
  /** `checks` with a GitHub App (checks: write); `status` with a plain token (a commit status). */
  report: 'checks' | 'status';
  /** The stack's approver allowlist (STEPCD_APPROVERS): an approval stage nobody may decide fails the check. */
  stackApprovers: readonly string[];
  logger: StepcdLogger;
}

/** The name of the check run and the context of the commit status. */
export const CHECK_NAME = 'stepcd';

export interface PullRequestOutcome {
  sha: string;
  conclusion: 'success' | 'failure';
  apps: { app: string; configPath: string; ok: boolean }[];
}

/**
 * Checks a pull request read-only: for each app it changes, validate at the head and plan against
 * the live service, then report once per head commit (a check run or a commit status) and in one PR
 * comment updated in place. Nothing is recorded, started or deployed; a fork is read the same way,
 * through the base repository.
 */
export async function checkPullRequest(pr: PullRequestEvent, deps: PullRequestDeps): Promise<PullRequestOutcome> {
  const [changed, files] = await Promise.all([deps.source.changedPaths(pr.baseSha, pr.headSha), deps.source.listFiles(pr.headSha)]);
  const configs = files.filter((f) => isAppConfigPath(f.split('/').pop() ?? '')).filter((config) => touches(config, changed));
  const reader = cachedReader(deps.source, pr.headSha);
  const apps: AppCheck[] = [];
  for (const configPath of configs.sort()) apps.push(await checkApp(configPath, reader, deps));
  await report(pr, apps, deps);
  return { sha: pr.headSha, conclusion: conclusionOf(apps), apps: apps.map((a) => ({ app: a.app, configPath: a.configPath, ok: a.ok })) };
}

/** An app is changed when any path under its directory is (the root app: any path at all). */
function touches(configPath: string, changed: readonly string[]): boolean {
  const dir = dirOf(configPath);
  return changed.some((p) => dir === '' || p.startsWith(`${dir}/`));
}

/** Each file is read once per check, whether validation or planning asks for it. */
function cachedReader(source: PullRequestDeps['source'], sha: string): ManifestFiles {
  const texts = new Map<string, Promise<string | undefined>>();
  return {
    readFile(path) {
      let text = texts.get(path);
      if (!text) texts.set(path, (text = source.readFile(sha, path)));
      return text;
    },
  };
}

async function checkApp(configPath: string, files: ManifestFiles, deps: PullRequestDeps): Promise<AppCheck> {
  const outcomes = await verifyApp(files, configPath, { stackApprovers: deps.stackApprovers });
  const issues = outcomes.flatMap((o) => o.issues ?? []);
  const ok = !outcomes.some((o) => o.status === 'NG');
  const app = outcomes[0]?.app ?? configPath;
  if (!ok) return { configPath, app, ok, issues, planNote: 'the manifest is invalid' };
  const loaded = await loadApp(files, configPath);
  if (!loaded.ok) return { configPath, app, ok: false, issues, planNote: 'the manifest is invalid' };
  try {
    return { configPath, app, ok, issues, plan: await planApp(loaded.app, deps.liveEcs) };
  } catch (err) {
    // The check still reports validation; the plan preview says why it is missing.
    deps.logger.warn('pull request plan failed', { app, error: err as Error });
    return { configPath, app, ok, issues, planNote: `the live service could not be read (${(err as Error).name})` };
  }
}

async function report(pr: PullRequestEvent, apps: AppCheck[], deps: PullRequestDeps): Promise<void> {
  const { github } = deps;
  const { owner, name: repo } = github;
  const summary = summaryMarkdown(apps, pr.headSha);
  const conclusion = conclusionOf(apps);
  const title = titleOf(apps);
  if (deps.report === 'checks') {
    const output = { title, summary, annotations: annotationsOf(apps) };
    const { data } = await github.call(`listing check runs of ${pr.headSha}`, () =>
      github.octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
        owner,
        repo,
        ref: pr.headSha,
        check_name: CHECK_NAME,
        filter: 'latest',
        per_page: 1,
      }),
    );
    const existing = data.check_runs[0];
    if (existing) {
      await github.call(`updating check run ${existing.id}`, () =>
        github.octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
          owner,
          repo,
          check_run_id: existing.id,
          status: 'completed',
          conclusion,
          output,
        }),
      );
    } else {
      await github.call(`creating the check run of ${pr.headSha}`, () =>
        github.octokit.request('POST /repos/{owner}/{repo}/check-runs', {
          owner,
          repo,
          name: CHECK_NAME,
          head_sha: pr.headSha,
          status: 'completed',
          conclusion,
          output,
        }),
      );
    }
  } else {
    await github.call(`setting the commit status of ${pr.headSha}`, () =>
      github.octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
        owner,
        repo,
        sha: pr.headSha,
        state: conclusion,
        context: CHECK_NAME,
        description: title.slice(0, 140),
      }),
    );
  }
  await upsertComment(pr, `${COMMENT_MARKER}\n${summary}`, github);
}

/** One comment per pull request: found by its hidden marker and edited, never posted twice. */
async function upsertComment(pr: PullRequestEvent, body: string, github: GithubRest): Promise<void> {
  const { owner, name: repo } = github;
  let found: number | undefined;
  await github.call(`listing the comments of pull request #${pr.number}`, async () => {
    for await (const page of github.octokit.paginate.iterator('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: pr.number,
      per_page: 100,
    })) {
      found = page.data.find((c) => c.body?.startsWith(COMMENT_MARKER))?.id;
      if (found !== undefined) break;
    }
  });
  if (found !== undefined) {
    const id = found;
    await github.call(`updating comment ${id}`, () =>
      github.octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id, body }),
    );
  } else {
    await github.call(`commenting on pull request #${pr.number}`, () =>
      github.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: pr.number, body }),
    );
  }
}
