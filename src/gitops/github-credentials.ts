import type { Config, Secrets } from '../config/index.js';
import { requireSecret, type SecretName } from '../config/secrets.js';
import { GithubAppTokenProvider, staticToken, type GithubTokenProvider } from './github-auth.js';

/** The secret that authenticates stepcd to GitHub: the App's private key when an App is configured, else a token. */
export function githubCredentialSecret(github: Pick<Config['github'], 'app'>): Extract<SecretName, 'githubAppPrivateKey' | 'githubToken'> {
  return github.app ? 'githubAppPrivateKey' : 'githubToken';
}

/** Tokens for GithubSource, from configuration and the fetched secrets (ConfigError if the secret is missing). */
export function githubTokenProvider(
  github: Pick<Config['github'], 'app' | 'apiUrl'>,
  secrets: Secrets,
  options: { fetch?: typeof fetch; now?: () => number } = {},
): GithubTokenProvider {
  if (!github.app) return staticToken(requireSecret(secrets, 'githubToken'));
  return new GithubAppTokenProvider({
    ...github.app,
    privateKey: requireSecret(secrets, 'githubAppPrivateKey'),
    ...(github.apiUrl ? { baseUrl: github.apiUrl } : {}),
    ...options,
  });
}
