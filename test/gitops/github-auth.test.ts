import { generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorName } from '../../src/errors.js';
import { GithubAppTokenProvider, TOKEN_REFRESH_MARGIN_MS } from '../../src/gitops/github-auth.js';
import { githubCredentialSecret, githubTokenProvider } from '../../src/gitops/github-credentials.js';
import { GithubSource } from '../../src/gitops/github-source.js';
import { GithubStandin } from './github-standin.js';

const REPO = 'acme/deploys';
const APP_ID = '123456';
const INSTALLATION = '987';
const HOUR = 60 * 60 * 1000;
const SHA = 'a'.repeat(40);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
// GitHub hands out PKCS#1 keys ("BEGIN RSA PRIVATE KEY").
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const OTHER = generateKeyPairSync('rsa', { modulusLength: 2048 });

let clock = Date.parse('2026-03-01T12:00:00Z');
const now = () => clock;
let github: GithubStandin;

beforeAll(async () => {
  github = await new GithubStandin(REPO, { appId: APP_ID, installationId: INSTALLATION, publicKey, tokenTtlMs: HOUR, now }).start();
  github.addCommit(SHA, { parents: [], files: { 'apps/api/app.pipecd.yaml': 'kind: ECSApp\n' } });
});

afterAll(async () => {
  await github.stop();
});

const provider = (over: Partial<ConstructorParameters<typeof GithubAppTokenProvider>[0]> = {}) =>
  new GithubAppTokenProvider({ appId: APP_ID, installationId: INSTALLATION, privateKey: PEM, baseUrl: github.url, now, ...over });
const tokenPosts = () => github.calls(/access_tokens$/).length;

describe('the App JWT GitHub receives', () => {
  beforeEach(() => {
    clock += 2 * HOUR;
  });

  it("is signed RS256 with the App key, iss = app id, iat backdated and exp within GitHub's 10 minutes", async () => {
    const before = github.jwts.length;
    await provider().token();

    const jwt = github.jwts.at(-1)!;
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as unknown;
    const t = Math.floor(clock / 1000);
    expect(github.jwts.length).toBe(before + 1);
    expect(decode(header)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(decode(payload)).toEqual({ iat: t - 30, exp: t + 570, iss: APP_ID });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), OTHER.publicKey, Buffer.from(signature, 'base64url'))).toBe(false);
  });
});

describe('GithubAppTokenProvider', () => {
  beforeEach(() => {
    clock += 2 * HOUR; // every test starts with every earlier token expired
  });

  it('exchanges a signed JWT for an installation token that GithubSource then uses', async () => {
    const before = github.issued.length;
    const source = new GithubSource({ repo: REPO, auth: provider(), baseUrl: github.url });

    const text = await source.readFile(SHA, 'apps/api/app.pipecd.yaml');

    expect(text).toBe('kind: ECSApp\n');
    expect(github.issued.length).toBe(before + 1);
    const token = github.issued.at(-1)!.token;
    expect(github.calls(/^\/graphql$/).at(-1)?.authorization).toBe(`Bearer ${token}`);
    expect(github.jwtClaims.at(-1)).toMatchObject({ iss: APP_ID });
  });

  it('caches the token until five minutes before it expires, then gets a new one', async () => {
    const p = provider();
    const before = tokenPosts();

    const first = await p.token();
    clock += HOUR - TOKEN_REFRESH_MARGIN_MS - 1000;
    const stillCached = await p.token();
    clock += 2000;
    const renewed = await p.token();

    expect(stillCached).toBe(first);
    expect(renewed).not.toBe(first);
    expect(tokenPosts() - before).toBe(2);
  });

  it('shares one token request between concurrent callers', async () => {
    const p = provider();
    const before = tokenPosts();

    const tokens = await Promise.all([p.token(), p.token(), p.token()]);

    expect(new Set(tokens).size).toBe(1);
    expect(tokenPosts() - before).toBe(1);
  });

  it('gets a new token after GitHub refuses the cached one (401)', async () => {
    const p = provider();
    const source = new GithubSource({ repo: REPO, auth: p, baseUrl: github.url });
    const first = await p.token();
    github.fail(/^\/graphql$/, 401, { message: 'Bad credentials' });

    await expect(source.readFile(SHA, 'apps/api/app.pipecd.yaml')).rejects.toMatchObject({ name: ErrorName.Unauthorized });
    const text = await source.readFile(SHA, 'apps/api/app.pipecd.yaml');

    expect(text).toBe('kind: ECSApp\n');
    expect(await p.token()).not.toBe(first);
  });

  it.each([
    { name: 'fail: an app id GitHub does not know is unauthorized', over: { appId: '999' }, error: ErrorName.Unauthorized, retryable: false },
    { name: 'fail: an unknown installation is not found', over: { installationId: '1' }, error: ErrorName.NotFound, retryable: false },
    {
      name: 'fail: a key that is not the App key is unauthorized',
      over: { privateKey: OTHER.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      error: ErrorName.Unauthorized,
      retryable: false,
    },
  ])('$name', async ({ over, error, retryable }) => {
    await expect(provider(over).token()).rejects.toMatchObject({ name: error, retryable });
  });

  it('fail: a 5xx from the token endpoint is transient, and the next call retries', async () => {
    const p = provider();
    github.fail(/access_tokens$/, 503);

    await expect(p.token()).rejects.toMatchObject({ name: ErrorName.Transient, retryable: true });
    await expect(p.token()).resolves.toMatch(/^ghs_/);
  });

  it('fail: no answer at all is transient', async () => {
    await expect(provider({ baseUrl: 'http://127.0.0.1:1' }).token()).rejects.toMatchObject({ name: ErrorName.Transient });
  });

  it('accepts a key stored on one line with literal \\n, as pasted into SSM', async () => {
    await expect(provider({ privateKey: PEM.replace(/\n/g, '\\n') }).token()).resolves.toMatch(/^ghs_/);
  });

  it('refuses to start with a private key that is not PEM, without echoing the key', () => {
    const build = () => provider({ privateKey: 'not-a-key-SECRET' });
    expect(build).toThrow(expect.objectContaining({ name: ErrorName.Config }));
    expect(build).not.toThrow(/SECRET/);
  });
});

describe('githubCredentialSecret and githubTokenProvider', () => {
  it('success: with no App configured, uses the token secret as is', async () => {
    expect(githubCredentialSecret({})).toBe('githubToken');
    await expect(githubTokenProvider({}, { githubToken: 'ghp_x' }).token()).resolves.toBe('ghp_x');
  });

  it('success: with an App configured, uses its private key against the configured API', async () => {
    const app = { appId: APP_ID, installationId: INSTALLATION };
    expect(githubCredentialSecret({ app })).toBe('githubAppPrivateKey');
    await expect(githubTokenProvider({ app, apiUrl: github.url }, { githubAppPrivateKey: PEM }, { now }).token()).resolves.toMatch(/^ghs_/);
  });

  it('fail: the secret the configuration calls for is missing', () => {
    expect(() => githubTokenProvider({ app: { appId: APP_ID, installationId: INSTALLATION } }, { githubToken: 'ghp_x' })).toThrow(/githubAppPrivateKey/);
    expect(() => githubTokenProvider({}, {})).toThrow(/githubToken/);
  });
});
