import type { AsyncInvoker } from '../gitops/deferrers.js';
import { AwsError, TransientError, wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import { errorOf, sendSigned } from './signed-request.js';

/** Lambda answers an asynchronous invocation it queued with 202. */
const QUEUED = 202;

/**
 * AsyncInvoker over Lambda's Invoke with InvocationType Event, so Lambda queues the payload and
 * answers 202 at once (it retries a failed asynchronous invocation twice on its own). One signed
 * request rather than @aws-sdk/client-lambda: the webhook makes this one call, and that client's
 * schemas and error classes were about 100 kB of the webhook bundle, parsed at every cold start.
 */
export function createLambdaInvoker(config: AwsClientConfig): AsyncInvoker {
  return {
    async invokeAsync(functionName, payload) {
      const doing = `invoking ${functionName} asynchronously`;
      const reply = await sendSigned({
        service: 'lambda',
        config,
        // A function name, a partial or a full ARN: one path segment, colons included, encoded.
        path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
        headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
        body: JSON.stringify(payload),
      }).catch((err: unknown) => {
        // sendSigned throws only when no attempt reached Lambda: worth a retry later.
        throw new TransientError(`${doing}: ${(err as Error).message}`, { cause: err });
      });
      if (reply.statusCode === QUEUED) return;
      if (reply.statusCode >= 200 && reply.statusCode < 300) {
        throw new AwsError(`${doing}: Lambda answered ${reply.statusCode}, not 202`);
      }
      const { type, message } = errorOf(reply);
      // Classified as an SDK error would be: a throttle or 5xx stays retryable, a refusal does not.
      throw wrapAwsError(
        doing,
        Object.assign(new Error(message || `HTTP ${reply.statusCode}`), { name: type, $metadata: { httpStatusCode: reply.statusCode } }),
      );
    },
  };
}
