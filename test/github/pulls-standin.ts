import type { ServerResponse } from 'node:http';
import { send, type GithubStandin } from '../gitops/github-standin.js';

/**
 * The Checks, commit statuses and issue comments endpoints on the stand-in, with the validation the
 * REST reference documents: a check run needs `name` and `head_sha`, a completed one a `conclusion`,
 * at most 50 annotations per request, each with path, start_line, end_line, annotation_level and
 * message, and columns only on a one-line annotation (else 422); a status `state` is one of error,
 * failure, pending, success; comments list 100 a page at most, newest last, with a Link header.
 */
export interface StandinCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; annotations?: Record<string, unknown>[] };
}

export class PullsApi {
  readonly checkRuns: StandinCheckRun[] = [];
  readonly statuses: { sha: string; state: string; context: string; description: string }[] = [];
  readonly comments = new Map<number, { id: number; body: string }[]>();
  private nextId = 5000;

  constructor(private readonly github: GithubStandin) {
    github.routes.push((req, res) => this.route(req, res));
  }

  private route(req: { method: string; path: string; query: URLSearchParams; body: unknown }, res: ServerResponse): boolean {
    const body = (req.body ?? {}) as Record<string, unknown>;
    let m: RegExpMatchArray | null;
    if ((m = req.path.match(/^commits\/([^/]+)\/check-runs$/)) && req.method === 'GET') {
      const name = req.query.get('check_name');
      const runs = this.checkRuns.filter((r) => r.head_sha === m![1] && (!name || r.name === name)).reverse();
      return (send(res, 200, { total_count: runs.length, check_runs: runs.map((r) => this.runJson(r)) }), true);
    }
    if (req.path === 'check-runs' && req.method === 'POST') {
      if (typeof body.name !== 'string' || typeof body.head_sha !== 'string') return (invalid(res, 'name and head_sha are required'), true);
      const problem = this.outputProblem(body);
      if (problem) return (invalid(res, problem), true);
      const run: StandinCheckRun = {
        id: this.nextId++,
        name: body.name,
        head_sha: body.head_sha,
        status: String(body.status ?? 'queued'),
        conclusion: (body.conclusion as string) ?? null,
        output: (body.output as StandinCheckRun['output']) ?? {},
      };
      this.checkRuns.push(run);
      return (send(res, 201, this.runJson(run)), true);
    }
    if ((m = req.path.match(/^check-runs\/(\d+)$/)) && req.method === 'PATCH') {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return (send(res, 404, { message: 'Not Found' }), true);
      const problem = this.outputProblem(body);
      if (problem) return (invalid(res, problem), true);
      Object.assign(run, { status: body.status ?? run.status, conclusion: body.conclusion ?? run.conclusion, output: body.output ?? run.output });
      return (send(res, 200, this.runJson(run)), true);
    }
    if ((m = req.path.match(/^statuses\/([0-9a-f]{40})$/)) && req.method === 'POST') {
      if (!['error', 'failure', 'pending', 'success'].includes(String(body.state))) return (invalid(res, 'state is not included in the list'), true);
      const status = { sha: m[1]!, state: String(body.state), context: String(body.context ?? 'default'), description: String(body.description ?? '') };
      this.statuses.push(status);
      return (send(res, 201, { id: this.nextId++, ...status, url: `${this.github.url}/repos/${this.github.repo}/statuses/${m[1]}` }), true);
    }
    if ((m = req.path.match(/^issues\/(\d+)\/comments$/))) {
      const list = this.comments.get(Number(m[1])) ?? [];
      this.comments.set(Number(m[1]), list);
      if (req.method === 'POST') {
        if (typeof body.body !== 'string') return (invalid(res, 'body is required'), true);
        const comment = { id: this.nextId++, body: body.body };
        list.push(comment);
        return (send(res, 201, this.commentJson(comment)), true);
      }
      if (req.method === 'GET') {
        const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
        const page = Number(req.query.get('page') ?? 1);
        const slice = list.slice((page - 1) * perPage, page * perPage);
        const last = Math.max(1, Math.ceil(list.length / perPage));
        const link: Record<string, string> =
          page < last
            ? { link: `<${this.github.url}/repos/${this.github.repo}/issues/${m[1]}/comments?per_page=${perPage}&page=${page + 1}>; rel="next"` }
            : {};
        return (
          send(
            res,
            200,
            slice.map((c) => this.commentJson(c)),
            link,
          ),
          true
        );
      }
    }
    if ((m = req.path.match(/^issues\/comments\/(\d+)$/)) && req.method === 'PATCH') {
      const comment = [...this.comments.values()].flat().find((c) => c.id === Number(m![1]));
      if (!comment) return (send(res, 404, { message: 'Not Found' }), true);
      if (typeof body.body !== 'string') return (invalid(res, 'body is required'), true);
      comment.body = body.body;
      return (send(res, 200, this.commentJson(comment)), true);
    }
    return false;
  }

  private outputProblem(body: Record<string, unknown>): string | undefined {
    if (body.status === 'completed' && typeof body.conclusion !== 'string') return 'conclusion is required when status is completed';
    const annotations = (body.output as { annotations?: Record<string, unknown>[] } | undefined)?.annotations ?? [];
    if (annotations.length > 50) return 'at most 50 annotations per request';
    for (const a of annotations) {
      for (const field of ['path', 'start_line', 'end_line', 'annotation_level', 'message'])
        if (a[field] === undefined) return `annotation ${field} is required`;
      if (!['notice', 'warning', 'failure'].includes(String(a.annotation_level))) return 'annotation_level is not included in the list';
      if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line)
        return 'start_column and end_column are only allowed when start_line equals end_line';
    }
    return undefined;
  }

  private runJson(r: StandinCheckRun) {
    return {
      id: r.id,
      name: r.name,
      head_sha: r.head_sha,
      status: r.status,
      conclusion: r.conclusion,
      output: { title: r.output.title ?? null, summary: r.output.summary ?? null, annotations_count: r.output.annotations?.length ?? 0 },
      html_url: `https://github.com/${this.github.repo}/runs/${r.id}`,
    };
  }

  private commentJson(c: { id: number; body: string }) {
    return {
      id: c.id,
      body: c.body,
      user: { login: 'stepcd[bot]', type: 'Bot' },
      html_url: `https://github.com/${this.github.repo}/issues#issuecomment-${c.id}`,
    };
  }
}

function invalid(res: ServerResponse, message: string): void {
  send(res, 422, { message: 'Validation Failed', errors: [{ code: 'custom', message }], documentation_url: 'https://docs.github.com/rest' });
}
