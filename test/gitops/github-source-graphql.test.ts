import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorName } from '../../src/errors.js';
import { GithubSource } from '../../src/gitops/github-source.js';
import { RefusedFileError } from '../../src/manifest/index.js';
import { GithubStandin, GRAPHQL_MAX_OBJECTS } from './github-standin.js';

const REPO = 'acme/deploys';
const SHA = '5'.repeat(40);
const files: Record<string, string> = {
  'apps/api/app.pipecd.yaml': 'kind: ECSApp\nspec:\n  name: api\n',
  'apps/api/taskdef.yaml': 'family: api\n# ünïcödé ✓ 日本\n',
  'apps/bom/app.pipecd.yaml': '\uFEFFkind: ECSApp\n',
  'apps/big/taskdef.yaml': `family: big\n${'#'.repeat(300 * 1024)}\n`,
  ...Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`apps/many/f${i}.yaml`, `n: ${i}\n`])),
};
const small = Object.keys(files).filter((p) => !p.startsWith('apps/big/'));

let github: GithubStandin;
const source = () => new GithubSource({ repo: REPO, auth: 'ghp_test', baseUrl: github.url });
const since = () => {
  const start = github.requests.length;
  return (pattern: RegExp) => github.requests.slice(start).filter((r) => pattern.test(r.path));
};
const readAll = (s: GithubSource, paths: readonly string[]) => Promise.all(paths.map((p) => s.readFile(SHA, p)));

beforeAll(async () => {
  github = await new GithubStandin(REPO).start();
  github.addCommit(SHA, { parents: [], files });
});
beforeEach(() => {
  github.graphqlTextLimit = 512 * 1024;
});
afterAll(async () => {
  await github?.stop();
});

describe('GithubSource reads files by batched GraphQL', () => {
  it('reads 153 files in two queries (100 + 53) and one tree listing, with no contents request', async () => {
    const asked = since();
    const texts = await readAll(source(), small);

    expect(texts).toEqual(small.map((p) => files[p]!.replace(/^\uFEFF/, '')));
    expect(asked(/\/git\/trees\//)).toHaveLength(1);
    expect(asked(/\/contents\//)).toHaveLength(0);
    const queries = asked(/^\/graphql$/).map((r) => [...String((r.body as { query: string }).query).matchAll(/ object\(/g)].length);
    expect(queries).toEqual([100, 53]);
  });

  it('gives the same texts as the contents API, which every truncated blob falls back to', async () => {
    const byGraphql = await readAll(source(), small);
    github.graphqlTextLimit = 0;
    const asked = since();

    const byRest = await readAll(source(), small);

    expect(byRest).toEqual(byGraphql);
    expect(
      asked(/\/contents\//)
        .map((r) => r.path.replace(`/repos/${REPO}/contents/`, ''))
        .sort(),
    ).toEqual([...small].sort());
  });

  it('reads only the truncated blob again by REST', async () => {
    github.graphqlTextLimit = Buffer.byteLength(files['apps/api/app.pipecd.yaml']!);
    const asked = since();

    expect(await readAll(source(), ['apps/api/app.pipecd.yaml', 'apps/api/taskdef.yaml'])).toEqual([
      files['apps/api/app.pipecd.yaml'],
      files['apps/api/taskdef.yaml'],
    ]);
    expect(asked(/\/contents\//).map((r) => r.path)).toEqual([`/repos/${REPO}/contents/apps/api/taskdef.yaml`]);
  });

  it('reads a file whose object alone failed by REST, and the rest of its query as given', async () => {
    github.graphqlFailing.add('apps/api/taskdef.yaml');
    const asked = since();
    try {
      expect(await readAll(source(), ['apps/api/app.pipecd.yaml', 'apps/api/taskdef.yaml'])).toEqual([
        files['apps/api/app.pipecd.yaml'],
        files['apps/api/taskdef.yaml'],
      ]);
    } finally {
      github.graphqlFailing.clear();
    }
    expect(asked(/^\/graphql$|\/contents\//).map((r) => r.path)).toEqual(['/graphql', `/repos/${REPO}/contents/apps/api/taskdef.yaml`]);
  });

  it('answers a missing file or a directory as not a file', async () => {
    const s = source();
    expect(await s.readFile(SHA, 'apps/api/servicedef.yaml')).toBeUndefined();
    expect(await s.readFile(SHA, 'apps/api')).toBeUndefined();
  });

  it('fail: a GraphQL rate limit (200 with RATE_LIMITED) is throttling, and the next read asks again', async () => {
    github.graphqlRateLimited = 1;
    const s = source();

    await expect(s.readFile(SHA, 'apps/api/app.pipecd.yaml')).rejects.toMatchObject({ name: ErrorName.Throttled, retryable: true });
    expect(await s.readFile(SHA, 'apps/api/app.pipecd.yaml')).toBe(files['apps/api/app.pipecd.yaml']);
  });

  it('fail: refuses a file over the limit by its listed size, reading none of it', async () => {
    const asked = since();
    await expect(source().readFile(SHA, 'apps/big/taskdef.yaml')).rejects.toBeInstanceOf(RefusedFileError);
    expect(asked(/^\/graphql$|\/contents\//)).toEqual([]);
  });
});

describe('the stand-in answers GraphQL as GitHub does', () => {
  const post = async (query: string) => {
    const res = await fetch(`${github.url}/graphql`, { method: 'POST', body: JSON.stringify({ query }), headers: { authorization: 'bearer x' } });
    return (await res.json()) as { data?: { repository: Record<string, unknown> | null }; errors?: { type?: string; message: string }[] };
  };
  const object = (alias: string, expression: string) =>
    `${alias}: object(expression: ${JSON.stringify(expression)}) { ... on Blob { text byteSize isBinary isTruncated } }`;

  it('resolves a missing object to null, a tree to {}, and a blob to its fields', async () => {
    const body = await post(
      `query { repository(owner: "acme", name: "deploys") { ${object('a', `${SHA}:nope.yaml`)} ${object('b', `${SHA}:apps`)} ${object('c', `${SHA}:apps/api/taskdef.yaml`)} } }`,
    );
    const text = files['apps/api/taskdef.yaml']!;
    expect(body).toEqual({ data: { repository: { a: null, b: {}, c: { text, byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false } } } });
  });

  it('fail: a repository it cannot see is null with a NOT_FOUND error', async () => {
    const body = await post(`query { repository(owner: "acme", name: "other") { ${object('a', `${SHA}:x`)} } }`);
    expect(body.data).toEqual({ repository: null });
    expect(body.errors?.[0]).toMatchObject({ type: 'NOT_FOUND', message: "Could not resolve to a Repository with the name 'acme/other'." });
  });

  it('fail: refuses a query over its object limit, and one it cannot parse', async () => {
    const over = Array.from({ length: GRAPHQL_MAX_OBJECTS + 1 }, (_, i) => object(`f${i}`, `${SHA}:x${i}`)).join(' ');
    expect((await post(`query { repository(owner: "acme", name: "deploys") { ${over} } }`)).errors?.[0]?.type).toBe('MAX_NODE_LIMIT_EXCEEDED');
    expect((await post('query { viewer { login } }')).errors?.[0]?.message).toMatch(/^Parse error/);
  });
});
