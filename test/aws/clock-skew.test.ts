import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createDocumentClient } from '../../src/aws/dynamodb.js';
import { startAwsServer, type AwsRequest, type AwsServer } from '../../src/local/aws-server.js';

/**
 * An AWS endpoint whose clock is an hour ahead of this machine's. As AWS does, it refuses a request
 * signed more than 5 minutes from its own time (403 InvalidSignatureException, "Signature expired")
 * and dates every reply with its time.
 */
const AHEAD_MS = 60 * 60 * 1000;
const serverNow = () => Date.now() + AHEAD_MS;
/** X-Amz-Date: 20261204T225800Z. */
const signedAt = (req: AwsRequest) => Date.parse((req.headers['x-amz-date'] ?? '').replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));

let server: AwsServer;
const seen: AwsRequest[] = [];

beforeAll(async () => {
  server = await startAwsServer([
    async (req) => {
      seen.push(req);
      const headers = { 'content-type': 'application/x-amz-json-1.0', date: new Date(serverNow()).toUTCString() };
      if (Math.abs(signedAt(req) - serverNow()) > 300_000) {
        return {
          status: 403,
          headers,
          body: JSON.stringify({ __type: 'InvalidSignatureException', message: 'Signature expired: the request is now earlier than 5 min ago' }),
        };
      }
      return { status: 200, headers, body: JSON.stringify({ Item: { PK: { S: 'A' }, SK: { S: 'B' } } }) };
    },
  ]);
});

afterAll(() => server.close());

describe('signed calls on a machine whose clock is off', () => {
  it("succeed on the second attempt, signed at AWS's time taken from its refusal, and sign right from then on", async () => {
    const doc = createDocumentClient(localClientConfig(server.url, 3));
    const get = () => doc.send('GetItem', { TableName: 't', Key: { PK: 'A', SK: 'B' } }, 'reading A');

    await expect(get()).resolves.toMatchObject({ Item: { PK: 'A', SK: 'B' } });
    expect(seen).toHaveLength(2);
    expect(Math.abs(signedAt(seen[0]!) - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(signedAt(seen[1]!) - serverNow())).toBeLessThan(60_000);

    await get();
    expect(seen).toHaveLength(3);
  });

  it('do not retry a signature refusal when the clock was not the cause', async () => {
    const refusing = await startAwsServer([
      async (req) => {
        seen.push(req);
        return {
          status: 403,
          headers: { 'content-type': 'application/x-amz-json-1.0', date: new Date().toUTCString() },
          body: JSON.stringify({ __type: 'InvalidSignatureException', message: 'The request signature we calculated does not match' }),
        };
      },
    ]);
    try {
      seen.length = 0;
      const doc = createDocumentClient(localClientConfig(refusing.url, 3));
      // Its reply (dated now) moves the offset learnt above back to this machine's clock, and is not retried.
      await expect(doc.send('GetItem', { TableName: 't', Key: { PK: 'A', SK: 'B' } }, 'reading A')).rejects.toThrow(/InvalidSignatureException/);
      expect(seen).toHaveLength(2);
      seen.length = 0;
      await expect(doc.send('GetItem', { TableName: 't', Key: { PK: 'A', SK: 'B' } }, 'reading A')).rejects.toThrow(/InvalidSignatureException/);
      expect(seen).toHaveLength(1);
    } finally {
      await refusing.close();
    }
  });
});
