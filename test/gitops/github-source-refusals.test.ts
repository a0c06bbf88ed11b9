import { describe, expect, it } from 'vitest';
import { GithubSource } from '../../src/gitops/github-source.js';
import { RefusedFileError } from '../../src/manifest/index.js';

const SHA = 'a'.repeat(40);

/**
 * The contents API's published response shapes for what a manifest must not be: a symlink GitHub did
 * not follow (it follows one to a file inside the repository itself), bytes that are not UTF-8, and a
 * file over 1 MB (sent without content). Served by a `fetch` that answers as api.github.com does:
 * the recursive tree listing gives the file's mode and size, GraphQL (at /api/graphql on GitHub
 * Enterprise) its Blob, and the contents API `body`. `requests` records the URLs asked for.
 */
function sourceAnswering(body: Record<string, unknown>, listed: { mode: string; size: number; blob?: unknown }, requests: string[] = []): GithubSource {
  const json = (value: unknown) => new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
  const fetchLike = async (url: string | URL) => {
    const href = String(url);
    requests.push(href);
    if (href.includes('/git/trees/')) {
      const entry = { path: body.path, mode: listed.mode, type: 'blob', sha: body.sha, size: listed.size };
      return json({
        sha: SHA,
        tree: [
          { path: 'apps', mode: '040000', type: 'tree', sha: 'c'.repeat(40) },
          { path: 'apps/web', mode: '040000', type: 'tree', sha: 'd'.repeat(40) },
          entry,
        ],
        truncated: false,
      });
    }
    if (href === 'https://github.invalid/api/graphql') return json({ data: { repository: { f0: listed.blob ?? null } } });
    return json(body);
  };
  return new GithubSource({ repo: 'acme/deploys', auth: 'token', fetch: fetchLike as typeof fetch, baseUrl: 'https://github.invalid/api/v3' });
}

async function refusal(read: Promise<unknown>): Promise<string> {
  try {
    await read;
  } catch (err) {
    if (err instanceof RefusedFileError) return err.message;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('GithubSource.readFile refuses what would leak or mislead', () => {
  const base = { name: 'servicedef.yaml', path: 'apps/web/servicedef.yaml', sha: 'b'.repeat(40) };

  it('fail: a symlink out of the repository is refused, its target never requested', async () => {
    const requests: string[] = [];
    const source = sourceAnswering({ ...base, type: 'symlink', target: '../../../etc/passwd', size: 19 }, { mode: '120000', size: 19 }, requests);
    expect(await refusal(source.readFile(SHA, 'apps/web/servicedef.yaml'))).toBe(
      'apps/web/servicedef.yaml: is a symlink to a path outside the repository; stepcd does not follow it',
    );
    // The listing's mode sends a symlink to the contents API (GitHub resolves it there), never to GraphQL.
    expect(requests.some((u) => u.includes('graphql'))).toBe(false);
  });

  it('success: a symlink to a directory inside the repository is simply not a file', async () => {
    const source = sourceAnswering({ ...base, type: 'symlink', target: '../shared', size: 9 }, { mode: '120000', size: 9 });
    expect(await source.readFile(SHA, 'apps/web/servicedef.yaml')).toBeUndefined();
  });

  it('fail: bytes that are not UTF-8 are refused, not replaced with U+FFFD', async () => {
    const content = Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0x0a]).toString('base64');
    // GraphQL's text for such bytes is not them: it carries U+FFFD, so the bytes are read by REST.
    const blob = { text: 'k: \uFFFD\n', byteSize: 5, isBinary: false, isTruncated: false };
    const source = sourceAnswering({ ...base, type: 'file', encoding: 'base64', size: 5, content }, { mode: '100644', size: 5, blob });
    expect(await refusal(source.readFile(SHA, 'apps/web/servicedef.yaml'))).toBe('apps/web/servicedef.yaml: is not valid UTF-8 (byte 3); save it as UTF-8');
  });

  it('fail: a file over the limit is refused by its listed size, before any of it is read', async () => {
    const requests: string[] = [];
    const source = sourceAnswering(
      { ...base, type: 'file', encoding: 'none', size: 10 * 1024 * 1024, content: '' },
      { mode: '100644', size: 10 * 1024 * 1024 },
      requests,
    );
    expect(await refusal(source.readFile(SHA, 'apps/web/servicedef.yaml'))).toBe(
      'apps/web/servicedef.yaml: is 10485760 bytes, over the 262144-byte limit for a manifest file',
    );
    expect(requests.map((u) => new URL(u).pathname)).toEqual([`/api/v3/repos/acme/deploys/git/trees/${SHA}`]);
  });

  it('fail: a binary blob (GraphQL sends no text) is read by REST and refused there', async () => {
    const content = Buffer.from([0x00, 0xff, 0xfe]).toString('base64');
    const blob = { text: null, byteSize: 3, isBinary: true, isTruncated: false };
    const source = sourceAnswering({ ...base, type: 'file', encoding: 'base64', size: 3, content }, { mode: '100644', size: 3, blob });
    expect(await refusal(source.readFile(SHA, 'apps/web/servicedef.yaml'))).toBe('apps/web/servicedef.yaml: is not valid UTF-8 (byte 1); save it as UTF-8');
  });
});
