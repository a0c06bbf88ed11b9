import { describe, expect, it } from 'vitest';
import { GithubSource } from '../../src/gitops/github-source.js';
import { RefusedFileError } from '../../src/manifest/index.js';

const SHA = 'a'.repeat(40);

/**
 * The contents API's published response shapes for what a manifest must not be: a symlink GitHub did
 * not follow (it follows one to a file inside the repository itself), bytes that are not UTF-8, and a
 * file over 1 MB (sent without content). Served by a `fetch` that answers as api.github.com does.
 */
function sourceAnswering(body: Record<string, unknown>): GithubSource {
  const fetchLike = async () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
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
    const source = sourceAnswering({ ...base, type: 'symlink', target: '../../../etc/passwd', size: 19 });
    expect(await refusal(source.readFile(SHA, 'apps/web/servicedef.yaml'))).toBe(
      'apps/web/servicedef.yaml: is a symlink to a path outside the repository; stepcd does not follow it',
    );
  });

  it('success: a symlink to a directory inside the repository is simply not a file', async () => {
    const source = sourceAnswering({ ...base, type: 'symlink', target: '../shared', size: 9 });
    expect(await source.readFile(SHA, 'apps/web/servicedef.yaml')).toBeUndefined();
  });

  it('fail: bytes that are not UTF-8 are refused, not replaced with U+FFFD', async () => {
    const content = Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0x0a]).toString('base64');
    const source = sourceAnswering({ ...base, type: 'file', encoding: 'base64', size: 5, content });
    expect(await refusal(source.readFile(SHA, 'apps/web/servicedef.yaml'))).toBe('apps/web/servicedef.yaml: is not valid UTF-8 (byte 3); save it as UTF-8');
  });

  it('fail: a file over the limit is refused by its size (GitHub sends no content over 1 MB)', async () => {
    const source = sourceAnswering({ ...base, type: 'file', encoding: 'none', size: 10 * 1024 * 1024, content: '' });
    expect(await refusal(source.readFile(SHA, 'apps/web/servicedef.yaml'))).toBe(
      'apps/web/servicedef.yaml: is 10485760 bytes, over the 262144-byte limit for a manifest file',
    );
  });
});
