export type AwsError = Error & { $metadata: { httpStatusCode?: number } };

/** The error a call fails with; a call that succeeds fails the test. */
export async function failure(call: Promise<unknown>): Promise<AwsError> {
  try {
    await call;
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('expected the call to fail');
}
