import type { ServerResponse } from 'node:http';
import { send, type GithubStandin } from '../gitops/github-standin.js';

/**
 * GitHub's Deployments REST API on the stand-in, as the REST reference documents it:
 * `POST /repos/{o}/{r}/deployments` (201, or 422 for a ref that is not a commit sha or a bad body),
 * `GET …/deployments?sha=&environment=` (newest first), `POST …/deployments/{id}/statuses` (201;
 * 422 for an unknown state or a description over 140 characters; `auto_inactive`, default true,
 * marks the environment's earlier successful deployments inactive) and `GET …/statuses`.
 */
export interface StandinDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  payload: unknown;
  created_at: string;
  statuses: StandinDeploymentStatus[];
}

export interface StandinDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  log_url: string;
  target_url: string;
  created_at: string;
}

const STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);

export class DeploymentsApi {
  readonly deployments: StandinDeployment[] = [];
  private nextId = 1000;

  constructor(private readonly github: GithubStandin) {
    github.routes.push((req, res) => this.route(req, res));
  }

  /** The states posted on the deployment of one commit, oldest first. */
  statesOf(sha: string, environment?: string): string[][] {
    return this.deployments
      .filter((d) => d.sha === sha && (environment === undefined || d.environment === environment))
      .map((d) => d.statuses.map((s) => s.state));
  }

  private route(req: { method: string; path: string; query: URLSearchParams; body: unknown }, res: ServerResponse): boolean {
    if (req.path === 'deployments' && req.method === 'POST') return (this.create(req.body as Record<string, unknown>, res), true);
    if (req.path === 'deployments' && req.method === 'GET') return (this.list(req.query, res), true);
    const statuses = req.path.match(/^deployments\/(\d+)\/statuses$/);
    if (!statuses) return false;
    const deployment = this.deployments.find((d) => d.id === Number(statuses[1]));
    if (!deployment) return (send(res, 404, { message: 'Not Found' }), true);
    if (req.method === 'POST') return (this.addStatus(deployment, req.body as Record<string, unknown>, res), true);
    if (req.method === 'GET')
      return (
        send(
          res,
          200,
          [...deployment.statuses].reverse().map((s) => this.statusJson(deployment, s)),
        ),
        true
      );
    return false;
  }

  private create(body: Record<string, unknown> | undefined, res: ServerResponse) {
    const ref = body?.ref;
    // The stand-in knows no branches: a full commit sha is the ref stepcd sends (the pushed commit).
    if (typeof ref !== 'string' || !/^[0-9a-f]{40}$/.test(ref))
      return send(res, 422, {
        message: `No ref found for: ${String(ref)}`,
        documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      });
    if (body?.auto_merge !== false || !Array.isArray(body.required_contexts)) {
      // GitHub would merge the default branch in (auto_merge defaults to true) or wait for every check.
      return send(res, 409, { message: 'stand-in: stepcd must send auto_merge: false and required_contexts' });
    }
    const deployment: StandinDeployment = {
      id: this.nextId++,
      sha: ref,
      ref,
      environment: typeof body.environment === 'string' ? body.environment : 'production',
      description: typeof body.description === 'string' ? body.description : null,
      payload: body.payload ?? {},
      created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      statuses: [],
    };
    this.deployments.push(deployment);
    send(res, 201, this.deploymentJson(deployment));
  }

  private list(query: URLSearchParams, res: ServerResponse) {
    const sha = query.get('sha');
    const environment = query.get('environment');
    const found = this.deployments.filter((d) => (!sha || d.sha === sha) && (!environment || d.environment === environment));
    send(
      res,
      200,
      [...found].reverse().map((d) => this.deploymentJson(d)),
    );
  }

  private addStatus(deployment: StandinDeployment, body: Record<string, unknown> | undefined, res: ServerResponse) {
    const state = body?.state;
    if (typeof state !== 'string' || !STATES.has(state)) {
      return send(res, 422, {
        message: 'Validation Failed',
        errors: [{ resource: 'DeploymentStatus', code: 'custom', field: 'state', message: `state is not included in the list` }],
      });
    }
    const description = typeof body?.description === 'string' ? body.description : '';
    if (description.length > 140) {
      return send(res, 422, {
        message: 'Validation Failed',
        errors: [{ resource: 'DeploymentStatus', code: 'custom', field: 'description', message: 'description is too long (maximum is 140 characters)' }],
      });
    }
    const environment = typeof body?.environment === 'string' ? body.environment : deployment.environment;
    const logUrl = typeof body?.log_url === 'string' ? body.log_url : typeof body?.target_url === 'string' ? body.target_url : '';
    const status = this.status(state, description, environment, logUrl);
    deployment.statuses.push(status);
    if (state === 'success' && body?.auto_inactive !== false) {
      for (const other of this.deployments) {
        if (other === deployment || other.environment !== deployment.environment) continue;
        if (other.statuses.at(-1)?.state === 'success') other.statuses.push(this.status('inactive', '', other.environment, ''));
      }
    }
    send(res, 201, this.statusJson(deployment, status));
  }

  private status(state: string, description: string, environment: string, logUrl: string): StandinDeploymentStatus {
    return {
      id: this.nextId++,
      state,
      description,
      environment,
      log_url: logUrl,
      target_url: logUrl,
      created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  private deploymentJson(d: StandinDeployment) {
    const base = `${this.github.url}/repos/${this.github.repo}`;
    return {
      url: `${base}/deployments/${d.id}`,
      id: d.id,
      node_id: `DE_${d.id}`,
      sha: d.sha,
      ref: d.ref,
      task: 'deploy',
      payload: d.payload,
      original_environment: d.environment,
      environment: d.environment,
      description: d.description,
      creator: { login: 'stepcd[bot]', id: 1, type: 'Bot' },
      created_at: d.created_at,
      updated_at: d.created_at,
      statuses_url: `${base}/deployments/${d.id}/statuses`,
      repository_url: base,
      transient_environment: false,
      production_environment: false,
    };
  }

  private statusJson(d: StandinDeployment, s: StandinDeploymentStatus) {
    const base = `${this.github.url}/repos/${this.github.repo}`;
    return {
      url: `${base}/deployments/${d.id}/statuses/${s.id}`,
      id: s.id,
      node_id: `DES_${s.id}`,
      state: s.state,
      creator: { login: 'stepcd[bot]', id: 1, type: 'Bot' },
      description: s.description,
      environment: s.environment,
      target_url: s.target_url,
      log_url: s.log_url,
      created_at: s.created_at,
      updated_at: s.created_at,
      deployment_url: `${base}/deployments/${d.id}`,
      repository_url: base,
      environment_url: '',
    };
  }
}
