import { InvalidStateError, ThrottledError } from '../errors.js';
import type { Octokit } from './github-client.js';
import { wrapGithubError } from './github-errors.js';

/** What GraphQL's `Blob` says of one file; null when the expression names no object. */
export interface GraphqlBlob {
  text: string | null;
  byteSize: number;
  isBinary: boolean;
  isTruncated: boolean;
}

/**
 * Blobs per query. GitHub's documented GraphQL limits count connection nodes (500,000) and points
 * (this query has no connections); they do not state an alias count, so this cap and the byte
 * budget below keep each query and its response small, well inside GitHub's query timeout.
 */
export const MAX_BLOBS_PER_QUERY = 100;
/** Expected response bytes per query, from the tree listing's sizes (a manifest is at most 256 KiB). */
export const MAX_QUERY_BYTES = 2 * 1024 * 1024;

interface Pending {
  path: string;
  size: number;
  resolve: (blob: GraphqlBlob | null) => void;
  reject: (err: unknown) => void;
}

/**
 * Batches blob reads into GraphQL queries: REST has no batch read, GraphQL's
 * `repository { f0: object(expression: "<sha>:<path>") { ... on Blob { … } } … }` reads many in one
 * request. Reads asked for in the same turn of the event loop (the analysis's and the planners'
 * parallel reads) share queries; each query is one request through the same client, auth and
 * rate-limit handling as REST.
 */
export class GraphqlBlobReader {
  private readonly queued = new Map<string, Pending[]>();
  private scheduled = false;

  constructor(
    private readonly octokit: Octokit,
    private readonly owner: string,
    private readonly name: string,
  ) {}

  /** The blob at `sha:path`; `size` (from the tree listing) budgets the query it joins. */
  read(sha: string, path: string, size: number): Promise<GraphqlBlob | null> {
    return new Promise((resolve, reject) => {
      const list = this.queued.get(sha) ?? [];
      list.push({ path, size, resolve, reject });
      this.queued.set(sha, list);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queued = [...this.queued];
    this.queued.clear();
    for (const [sha, reads] of queued) {
      for (const chunk of chunks(reads)) void this.query(sha, chunk);
    }
  }

  private async query(sha: string, reads: Pending[]): Promise<void> {
    const doing = `reading ${reads.length} files of ${this.owner}/${this.name} at ${sha} by GraphQL`;
    try {
      const data = await this.post(
        doing,
        blobQuery(
          this.owner,
          this.name,
          sha,
          reads.map((r) => r.path),
        ),
      );
      reads.forEach((r, i) => r.resolve(blobOf(data[`f${i}`])));
    } catch (err) {
      for (const r of reads) r.reject(err);
    }
  }

  private async post(doing: string, query: string): Promise<Record<string, unknown>> {
    let body: { data?: { repository?: Record<string, unknown> | null } | null; errors?: GraphqlError[] };
    try {
      ({ data: body } = await this.octokit.request('POST /graphql', { query, baseUrl: graphqlBase(this.octokit) }));
    } catch (err) {
      throw wrapGithubError(doing, err);
    }
    // GraphQL answers 200 with an `errors` array: a rate limit, a repository it cannot see, a refused query.
    const errors = body.errors ?? [];
    if (errors.some((e) => e.type === 'RATE_LIMITED')) throw new ThrottledError(`${doing}: GitHub rate-limited the query: ${errors[0]?.message}`);
    const repository = body.data?.repository;
    // An error on one object (its path is repository.<alias>) leaves that file to REST; any other fails the query.
    const whole = errors.filter((e) => !(e.path?.length === 2 && e.path[0] === 'repository'));
    if (!repository || whole.length > 0) {
      const first = whole[0] ?? errors[0];
      const status = first?.type === 'NOT_FOUND' ? 404 : first?.type === 'FORBIDDEN' ? 403 : 422;
      throw wrapGithubError(doing, { status, message: first?.message ?? 'no repository in the answer' });
    }
    for (const e of errors) repository[String(e.path![1])] = null;
    return repository;
  }
}

/** GitHub Enterprise serves REST under /api/v3 and GraphQL at /api/graphql (as @octokit/graphql maps it). */
function graphqlBase(octokit: Octokit): string {
  return octokit.request.endpoint.DEFAULTS.baseUrl.replace(/\/api\/v3\/?$/, '/api');
}

interface GraphqlError {
  type?: string;
  message?: string;
  path?: (string | number)[];
}

/** Reads split by count and expected bytes, in order. */
function chunks(reads: Pending[]): Pending[][] {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const read of reads) {
    if (current.length > 0 && (current.length >= MAX_BLOBS_PER_QUERY || bytes + read.size > MAX_QUERY_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(read);
    bytes += read.size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The query: one aliased `object(expression:)` per path. JSON string syntax is valid GraphQL string syntax. */
export function blobQuery(owner: string, name: string, sha: string, paths: readonly string[]): string {
  const objects = paths.map(
    (path, i) => `f${i}: object(expression: ${JSON.stringify(`${sha}:${path}`)}) { ... on Blob { text byteSize isBinary isTruncated } }`,
  );
  return `query { repository(owner: ${JSON.stringify(owner)}, name: ${JSON.stringify(name)}) { ${objects.join(' ')} } }`;
}

/** A Blob's fields, or null: no object there, or one that is not a blob (a tree answers `{}`). */
function blobOf(value: unknown): GraphqlBlob | null {
  const blob = value as Partial<GraphqlBlob> | null | undefined;
  if (!blob || typeof blob.byteSize !== 'number') return null;
  if (blob.text !== null && typeof blob.text !== 'string') throw new InvalidStateError('GitHub sent a Blob without text');
  return { text: blob.text ?? null, byteSize: blob.byteSize, isBinary: blob.isBinary === true, isTruncated: blob.isTruncated === true };
}
