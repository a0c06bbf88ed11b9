import { createHash, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the GitHub REST API, serving exactly what stepcd calls: recursive git trees,
 * git commits, contents at a ref (base64 JSON, as GitHub sends it), and GitHub App installation
 * tokens (it verifies the App JWT's RS256 signature and claims). Commits are given whole.
 */
export interface StandinCommit {
  parents: string[];
  files: Record<string, string>;
}

export interface StandinApp {
  appId: string;
  installationId: string;
  publicKey: KeyObject;
  /** Lifetime of issued tokens (GitHub: one hour). */
  tokenTtlMs: number;
  now: () => number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  /** The query string, without `?`, of requests under the repository when extension routes are added. */
  query?: string;
  /** The parsed JSON body of a write. */
  body?: unknown;
}

/** More endpoints (test/github adds deployments, checks, statuses, comments); true when it answered. */
export type StandinRoute = (req: { method: string; path: string; query: URLSearchParams; body: unknown }, res: ServerResponse) => boolean | Promise<boolean>;

interface Fault {
  pattern: RegExp;
  status: number;
  message: string;
  headers: Record<string, string>;
  times: number;
}

export class GithubStandin {
  readonly requests: RecordedRequest[] = [];
  readonly commits = new Map<string, StandinCommit>();
  /** Bytes past which GraphQL's Blob.text is cut off (isTruncated); tests lower it. */
  graphqlTextLimit = 512 * 1024;
  /** GraphQL queries still to answer as GitHub does past the primary limit: 200 with a RATE_LIMITED error. */
  graphqlRateLimited = 0;
  /** Paths whose GraphQL object answers null with an error of its own (as a per-field failure does). */
  readonly graphqlFailing = new Set<string>();
  /** Shas whose tree listing GitHub would truncate. */
  readonly truncated = new Set<string>();
  /** Installation tokens issued, with their expiry; repository calls must carry a live one (when an App is set). */
  readonly issued: { token: string; expiresAt: number }[] = [];
  /** JWT payloads the App endpoint accepted. */
  readonly jwtClaims: Record<string, unknown>[] = [];
  /** Every App JWT that verified, as sent. */
  readonly jwts: string[] = [];
  /** Routes under `/repos/<repo>/` tried before the read-only ones (see StandinRoute). */
  readonly routes: StandinRoute[] = [];
  private readonly faults: Fault[] = [];
  private server!: Server;
  url = '';

  constructor(
    readonly repo: string,
    private readonly app?: StandinApp,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => send(res, 500, { message: err.message }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addCommit(sha: string, commit: StandinCommit): string {
    this.commits.set(sha, commit);
    return sha;
  }

  /** The next `times` requests whose path matches answer `status` instead. */
  fail(pattern: RegExp, status: number, opts: { message?: string; headers?: Record<string, string>; times?: number } = {}): void {
    this.faults.push({ pattern, status, message: opts.message ?? 'stand-in fault', headers: opts.headers ?? {}, times: opts.times ?? 1 });
  }

  /** Requests whose path matches, for asserting what was (not) called. */
  calls(pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => pattern.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = decodeURIComponent(url.pathname);
    const body = req.method === 'GET' || req.method === undefined ? undefined : await readJson(req);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(body !== undefined ? { body } : {}),
    };
    if (this.routes.length > 0) recorded.query = url.searchParams.toString();
    this.requests.push(recorded);
    const fault = this.faults.find((f) => f.pattern.test(path) && f.times > 0);
    if (fault) {
      fault.times--;
      return send(res, fault.status, { message: fault.message, documentation_url: 'https://docs.github.com/rest' }, fault.headers);
    }

    const token = path.match(/^\/app\/installations\/([^/]+)\/access_tokens$/);
    if (token && req.method === 'POST') return this.installationToken(req, res, token[1]!);

    if (path === '/graphql' && req.method === 'POST') {
      if (this.app && !this.liveToken(req.headers.authorization)) return send(res, 401, { message: 'Bad credentials' });
      return send(res, 200, this.graphql(body));
    }
    const prefix = `/repos/${this.repo}/`;
    if (!path.startsWith(prefix)) return send(res, 404, { message: 'Not Found' });
    if (this.app && !this.liveToken(req.headers.authorization)) return send(res, 401, { message: 'Bad credentials' });
    for (const route of this.routes) {
      if (await route({ method: req.method ?? 'GET', path: path.slice(prefix.length), query: url.searchParams, body }, res)) return;
    }
    if (req.method !== 'GET') return send(res, 404, { message: 'Not Found' });
    const rest = path.slice(prefix.length);

    const tree = rest.match(/^git\/trees\/([^/]+)$/);
    if (tree) return this.tree(res, tree[1]!, url.searchParams.get('recursive'));
    const commit = rest.match(/^git\/commits\/([^/]+)$/);
    if (commit) {
      const c = this.commits.get(commit[1]!);
      return c ? send(res, 200, { sha: commit[1], parents: c.parents.map((sha) => ({ sha })) }) : send(res, 404, { message: 'Not Found' });
    }
    const compare = rest.match(/^compare\/([^.]+)\.\.\.([^.]+)$/);
    if (compare) return this.compare(res, compare[1]!, compare[2]!);
    const contents = rest.match(/^contents\/(.+)$/);
    if (contents) return this.contents(res, contents[1]!, url.searchParams.get('ref'));
    return send(res, 404, { message: 'Not Found' });
  }

  /**
   * GraphQL, for exactly the query form stepcd sends: `repository(owner:, name:)` with aliased
   * `object(expression: "<sha>:<path>") { ... on Blob { text byteSize isBinary isTruncated } }`.
   * Like GitHub it answers 200 with an `errors` array for what it refuses: a query it cannot parse,
   * a repository it cannot see, more objects than the stand-in's limit.
   */
  private graphql(body: unknown): unknown {
    if (this.graphqlRateLimited > 0) {
      this.graphqlRateLimited--;
      return { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit already exceeded for installation ID 7.' }] };
    }
    const query = (body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string') return { errors: [{ message: 'A query attribute must be specified and must be a string.' }] };
    const repo = query.match(/^query \{ repository\(owner: ("(?:[^"\\]|\\.)*"), name: ("(?:[^"\\]|\\.)*")\) \{ (.*) \} \}$/s);
    if (!repo) return { errors: [{ message: 'Parse error: stand-in serves only repository { object(expression:) } queries' }] };
    const [owner, name] = [JSON.parse(repo[1]!) as string, JSON.parse(repo[2]!) as string];
    const selection = /(\w+): object\(expression: ("(?:[^"\\]|\\.)*")\) \{ \.\.\. on Blob \{ text byteSize isBinary isTruncated \} \}/gs;
    const objects = [...repo[3]!.matchAll(selection)];
    if (objects.map((m) => m[0]).join(' ') !== repo[3]) return { errors: [{ message: 'Parse error: unexpected selection' }] };
    if (objects.length > GRAPHQL_MAX_OBJECTS) {
      return {
        errors: [{ type: 'MAX_NODE_LIMIT_EXCEEDED', message: `This query requests ${objects.length} objects, over the limit of ${GRAPHQL_MAX_OBJECTS}.` }],
      };
    }
    if (`${owner}/${name}` !== this.repo) {
      return {
        data: { repository: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository'],
            locations: [{ line: 1, column: 9 }],
            message: `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          },
        ],
      };
    }
    const repository: Record<string, unknown> = {};
    const errors: unknown[] = [];
    for (const [, alias, expression] of objects) {
      const [sha, ...rest] = (JSON.parse(expression!) as string).split(':');
      const path = rest.join(':');
      if (this.graphqlFailing.has(path)) {
        repository[alias!] = null;
        errors.push({
          type: 'SERVICE_UNAVAILABLE',
          path: ['repository', alias],
          locations: [{ line: 1, column: 1 }],
          message: 'Something went wrong while executing your query.',
        });
        continue;
      }
      const files = this.commits.get(sha!)?.files;
      const text = files?.[path];
      if (text !== undefined) {
        const bytes = Buffer.from(text);
        const isBinary = bytes.includes(0);
        const isTruncated = !isBinary && bytes.byteLength > this.graphqlTextLimit;
        repository[alias!] = {
          text: isBinary ? null : isTruncated ? bytes.subarray(0, this.graphqlTextLimit).toString('utf8') : text,
          byteSize: bytes.byteLength,
          isBinary,
          isTruncated,
        };
      } else if (files && Object.keys(files).some((p) => p.startsWith(`${path}/`))) {
        // A Tree: the inline fragment on Blob selects nothing from it.
        repository[alias!] = {};
      } else {
        // GitHub resolves an expression naming nothing to null, without an error.
        repository[alias!] = null;
      }
    }
    return errors.length > 0 ? { data: { repository }, errors } : { data: { repository } };
  }

  private tree(res: ServerResponse, sha: string, recursive: string | null) {
    const commit = this.commits.get(sha);
    if (!commit) return send(res, 404, { message: 'Not Found' });
    // stepcd must never walk directories one call at a time.
    if (!recursive) return send(res, 400, { message: 'stand-in: only recursive listings are served' });
    const dirs = new Set<string>();
    const blobs = Object.entries(commit.files).map(([path, text]) => {
      for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
      return { path, mode: '100644', type: 'blob', sha: blobSha(text), size: Buffer.byteLength(text) };
    });
    const trees = [...dirs].map((path) => ({ path, mode: '040000', type: 'tree', sha: createHash('sha1').update(`tree ${sha} ${path}`).digest('hex') }));
    send(res, 200, {
      sha,
      url: `${this.url}/tree/${sha}`,
      tree: [...trees, ...blobs].sort((a, b) => a.path.localeCompare(b.path)),
      truncated: this.truncated.has(sha),
    });
  }

  /** The compare API's published shape: `status`, `ahead_by`, `behind_by`, `merge_base_commit`, `commits`. */
  private compare(res: ServerResponse, base: string, head: string) {
    if (!this.commits.has(base) || !this.commits.has(head)) return send(res, 404, { message: 'Not Found' });
    const baseAncestors = this.ancestors(base);
    const headAncestors = this.ancestors(head);
    const mergeBase = [...headAncestors.keys()].filter((sha) => baseAncestors.has(sha)).sort((a, b) => headAncestors.get(a)! - headAncestors.get(b)!)[0];
    const ahead = [...headAncestors.keys()].filter((sha) => !baseAncestors.has(sha)).length;
    const behind = [...baseAncestors.keys()].filter((sha) => !headAncestors.has(sha)).length;
    const status = ahead === 0 && behind === 0 ? 'identical' : behind === 0 ? 'ahead' : ahead === 0 ? 'behind' : 'diverged';
    send(res, 200, {
      url: `${this.url}/repos/${this.repo}/compare/${base}...${head}`,
      status,
      ahead_by: ahead,
      behind_by: behind,
      total_commits: ahead,
      merge_base_commit: mergeBase ? { sha: mergeBase } : null,
      commits: [],
      files: [],
    });
  }

  /** Every commit reachable from `sha` (itself included), with its distance. */
  private ancestors(sha: string): Map<string, number> {
    const seen = new Map<string, number>();
    const queue: [string, number][] = [[sha, 0]];
    while (queue.length > 0) {
      const [next, depth] = queue.shift()!;
      if (seen.has(next)) continue;
      seen.set(next, depth);
      for (const parent of this.commits.get(next)?.parents ?? []) queue.push([parent, depth + 1]);
    }
    return seen;
  }

  private contents(res: ServerResponse, path: string, ref: string | null) {
    const commit = ref ? this.commits.get(ref) : undefined;
    if (!commit) return send(res, 404, { message: `No commit found for the ref ${ref}` });
    const text = commit.files[path];
    if (text !== undefined) {
      // GitHub wraps base64 content at 60 characters per line.
      const content = (
        Buffer.from(text)
          .toString('base64')
          .match(/.{1,60}/g) ?? []
      ).join('\n');
      return send(res, 200, {
        type: 'file',
        encoding: 'base64',
        size: Buffer.byteLength(text),
        name: path.split('/').pop(),
        path,
        content,
        sha: blobSha(text),
      });
    }
    const children = Object.keys(commit.files).filter((p) => p.startsWith(`${path}/`));
    if (children.length > 0)
      return send(
        res,
        200,
        children.map((p) => ({ type: 'file', path: p, name: p.split('/').pop() })),
      );
    send(res, 404, { message: 'Not Found' });
  }

  private async installationToken(req: IncomingMessage, res: ServerResponse, installationId: string) {
    if (!this.app || installationId !== this.app.installationId) return send(res, 404, { message: 'Not Found' });
    // HTTP auth schemes are case-insensitive; @octokit/auth-app sends `bearer`.
    const jwt = (req.headers.authorization ?? '').replace(/^bearer /i, '');
    const claims = verifyJwt(jwt, this.app.publicKey);
    const now = Math.floor(this.app.now() / 1000);
    if (!claims) return send(res, 401, { message: 'A JSON web token could not be decoded' });
    const { iat, exp, iss } = claims as { iat?: number; exp?: number; iss?: unknown };
    if (String(iss) !== this.app.appId) return send(res, 401, { message: 'Integration not found' });
    if (typeof iat !== 'number' || typeof exp !== 'number' || iat > now || exp <= now || exp - now > 600) {
      return send(res, 401, { message: "'Expiration time' claim ('exp') is too far in the future" });
    }
    this.jwtClaims.push(claims);
    this.jwts.push(jwt);
    const token = `ghs_standin${this.issued.length + 1}`;
    const expiresAt = this.app.now() + this.app.tokenTtlMs;
    this.issued.push({ token, expiresAt });
    send(res, 201, { token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: { contents: 'read' } });
  }

  private liveToken(authorization: string | undefined): boolean {
    const token = authorization?.replace(/^(Bearer|token) /, '');
    const issued = this.issued.find((t) => t.token === token);
    return issued !== undefined && issued.expiresAt > this.app!.now();
  }
}

/** Objects per GraphQL query the stand-in accepts (stepcd sends at most 100). */
export const GRAPHQL_MAX_OBJECTS = 100;

/** Git's blob id: sha1 of `blob <size>\0<content>`. */
function blobSha(text: string): string {
  return createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest('hex');
}

function verifyJwt(jwt: string, publicKey: KeyObject): Record<string, unknown> | undefined {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return undefined;
  const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg;
  if (alg !== 'RS256') return undefined;
  const ok = verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  return ok ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>) : undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
