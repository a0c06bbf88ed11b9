import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for SSM Parameter Store: awsJson1_1 `AmazonSSM.GetParameters` (what the secrets middleware
 * calls for named parameters), over the parameters given. Records every call's names.
 */
export class SsmStandin {
  readonly calls: { target: string; names: string[]; withDecryption: boolean }[] = [];
  private server!: Server;
  url = '';

  constructor(readonly parameters: Record<string, string>) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const input = JSON.parse(body || '{}') as { Names?: string[]; WithDecryption?: boolean };
        this.calls.push({ target, names: input.Names ?? [], withDecryption: input.WithDecryption === true });
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        if (target !== 'AmazonSSM.GetParameters') {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'UnknownOperationException', message: target }));
          return;
        }
        const names = input.Names ?? [];
        res.end(
          JSON.stringify({
            Parameters: names
              .filter((n) => n in this.parameters)
              .map((Name) => ({ Name, Type: 'SecureString', Value: this.parameters[Name], Version: 1, DataType: 'text' })),
            InvalidParameters: names.filter((n) => !(n in this.parameters)),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
