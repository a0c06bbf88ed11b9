import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallRecorder } from '../../../src/local/call-recorder.js';

export interface SsmStub {
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for SSM's GetParameters (awsJson1_1). @middy/ssm prefetches secrets while a
 * handler module loads, so importing a bundle needs somewhere for that call to land that is not AWS.
 */
export async function startSsmStub(recorder?: CallRecorder): Promise<SsmStub> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      // The IAM simulation attributes each cold start's fetch to the function that made it.
      recorder?.recordHttp(req.headers as Record<string, string>, body, target);
      if (target !== 'AmazonSSM.GetParameters') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', connection: 'close' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `stub serves GetParameters only, not ${target}` }));
        return;
      }
      const names = (JSON.parse(body) as { Names: string[] }).Names;
      // Closing the connection lets the importing process exit once the prefetch is answered.
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', connection: 'close' });
      res.end(
        JSON.stringify({
          Parameters: names.map((Name) => ({ Name, Type: 'SecureString', Value: `stub-value-of-${Name}`, Version: 1 })),
          InvalidParameters: [],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
