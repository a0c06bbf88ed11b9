import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';

/** The AWS identity behind a person's credentials: what the CLI and dashboard record as the actor. */
export interface CallerIdentity {
  /** The STS GetCallerIdentity ARN, e.g. `arn:aws:sts::123456789012:assumed-role/ops/alice`. */
  callerArn(): Promise<string>;
}

/**
 * CallerIdentity over @aws-sdk/client-sts. GetCallerIdentity needs no IAM permission. The answer
 * cannot change for the life of the credentials, so it is asked once and the client released; a
 * failed call is not cached, so the next call asks again.
 */
export function createCallerIdentity(config: AwsClientConfig): CallerIdentity {
  let pending: Promise<string> | undefined;
  return {
    callerArn() {
      pending ??= lookUp(config).catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
      return pending;
    },
  };
}

async function lookUp(config: AwsClientConfig): Promise<string> {
  const client = new STSClient(config);
  try {
    const { Arn } = await client.send(new GetCallerIdentityCommand({}));
    if (!Arn) throw new Error('the answer holds no Arn');
    return Arn;
  } catch (err) {
    throw wrapAwsError('asking STS who the caller is (GetCallerIdentity)', err);
  } finally {
    client.destroy();
  }
}
