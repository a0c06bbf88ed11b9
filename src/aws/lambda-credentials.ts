import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * What the Lambda bundles use in place of @aws-sdk/credential-provider-node (esbuild.plugins.cjs,
 * lambdaCredentialsFromEnv). Lambda hands a function its execution role's credentials in
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the first source the SDK's default
 * chain tries, so the rest of that chain (INI files, SSO, process, web identity through STS, the
 * container and instance metadata services) can never answer there. It is about 100 kB of every
 * bundle that V8 compiles on each cold start. Same signature as the chain's `defaultProvider`, the
 * one name the SDK clients import from it; the CLI and the local stack keep the whole chain.
 */
export function defaultProvider(init: Parameters<typeof fromEnv>[0] = {}): ReturnType<typeof fromEnv> {
  return fromEnv(init);
}
