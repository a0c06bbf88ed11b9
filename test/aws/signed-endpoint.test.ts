import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SignedService } from '../../src/aws/regional-endpoint.js';
import { endpointFor } from '../../src/aws/signed-request.js';

/** Where a signed call goes, in the SDK's order (its "service-specific endpoints" configuration). */
describe('endpointFor', () => {
  const region = { region: 'eu-west-1' };

  it("success: the service's regional endpoint when nothing is configured, and China's domain there", () => {
    expect(endpointFor('kms', region, {})).toBe('https://kms.eu-west-1.amazonaws.com');
    expect(endpointFor('events', { region: 'cn-north-1' }, {})).toBe('https://events.cn-north-1.amazonaws.com.cn');
  });

  it("success: AWS_ENDPOINT_URL_<SERVICE_ID> (EventBridge's id, not its signing name), before AWS_ENDPOINT_URL", () => {
    const env = {
      AWS_ENDPOINT_URL_EVENTBRIDGE: 'https://vpce-eb.example',
      AWS_ENDPOINT_URL_EVENTS: 'https://wrong.example',
      AWS_ENDPOINT_URL: 'https://all.example',
    };
    expect(endpointFor('events', region, env)).toBe('https://vpce-eb.example');
    expect(endpointFor('ecs', region, env)).toBe('https://all.example');
    expect(endpointFor('ssm', region, { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4566' })).toBe('http://127.0.0.1:4566');
  });

  it("success: the config's endpoint wins over the environment (the local cloud always sets one)", () => {
    expect(endpointFor('ecs', { ...region, endpoint: 'http://127.0.0.1:9000' }, { AWS_ENDPOINT_URL_ECS: 'https://stray.example' })).toBe(
      'http://127.0.0.1:9000',
    );
  });

  it('success: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores both variables', () => {
    const env = { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_KMS: 'https://vpce-kms.example', AWS_ENDPOINT_URL: 'https://all.example' };
    expect(endpointFor('kms', region, env)).toBe('https://kms.eu-west-1.amazonaws.com');
  });
});

/**
 * The host each SDK client itself sends a request to, configured only by the environment as a
 * Lambda's client is: the request is stopped once built (no network), its hostname read.
 */
const SDK_CLIENTS: [SignedService, () => Promise<{ host(region: string): Promise<string> }>][] = [
  [
    'dynamodb',
    async () =>
      sdkHost(
        (await import('@aws-sdk/client-dynamodb')).DynamoDBClient,
        new (await import('@aws-sdk/client-dynamodb')).GetItemCommand({ TableName: 't', Key: {} }),
      ),
  ],
  [
    'ecs',
    async () =>
      sdkHost((await import('@aws-sdk/client-ecs')).ECSClient, new (await import('@aws-sdk/client-ecs')).DescribeServicesCommand({ services: ['s'] })),
  ],
  [
    'events',
    async () =>
      sdkHost(
        (await import('@aws-sdk/client-eventbridge')).EventBridgeClient,
        new (await import('@aws-sdk/client-eventbridge')).PutEventsCommand({ Entries: [] }),
      ),
  ],
  [
    'kms',
    async () =>
      sdkHost((await import('@aws-sdk/client-kms')).KMSClient, new (await import('@aws-sdk/client-kms')).DecryptCommand({ CiphertextBlob: new Uint8Array(1) })),
  ],
  [
    'lambda',
    async () =>
      sdkHost((await import('@aws-sdk/client-lambda')).LambdaClient, new (await import('@aws-sdk/client-lambda')).InvokeCommand({ FunctionName: 'f' })),
  ],
  [
    'ssm',
    async () => sdkHost((await import('@aws-sdk/client-ssm')).SSMClient, new (await import('@aws-sdk/client-ssm')).GetParametersCommand({ Names: ['n'] })),
  ],
  [
    'states',
    async () =>
      sdkHost(
        (await import('@aws-sdk/client-sfn')).SFNClient,
        new (await import('@aws-sdk/client-sfn')).StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:s' }),
      ),
  ],
];

function sdkHost(Client: new (config: object) => any, command: object) {
  return {
    async host(region: string): Promise<string> {
      const client = new Client({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
      client.middlewareStack.add(
        () => async (args: { request: { hostname: string } }) => {
          throw Object.assign(new Error('stopped before sending'), { host: args.request.hostname });
        },
        { step: 'build', name: 'readHost' },
      );
      try {
        const err = (await client.send(command).then(
          () => undefined,
          (e: unknown) => e,
        )) as { host?: string; message?: string };
        if (!err?.host) throw new Error(`the SDK resolved no host: ${err?.message}`);
        return `https://${err.host}`;
      } finally {
        client.destroy();
      }
    },
  };
}

describe('endpointFor, without a configured endpoint, against the SDK clients themselves', () => {
  const regions = ['us-east-1', 'eu-west-1', 'us-gov-west-1', 'us-gov-east-1', 'cn-north-1'];
  const flags = [
    {},
    { AWS_USE_FIPS_ENDPOINT: 'true' },
    { AWS_USE_DUALSTACK_ENDPOINT: 'true' },
    { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' },
  ];
  afterEach(() => vi.unstubAllEnvs());

  it.each(SDK_CLIENTS)('success: %s goes where its SDK client goes, FIPS and dual-stack included, in every partition', async (service, load) => {
    const sdk = await load();
    let fipsHosts = 0;
    for (const env of flags) {
      vi.stubEnv('AWS_USE_FIPS_ENDPOINT', env.AWS_USE_FIPS_ENDPOINT ?? 'false');
      vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', env.AWS_USE_DUALSTACK_ENDPOINT ?? 'false');
      for (const region of regions) {
        const ours = endpointFor(service, { region }, { ...env });
        expect(ours, `${service} ${region} ${JSON.stringify(env)}`).toBe(await sdk.host(region));
        if (ours.includes('-fips.')) fipsHosts += 1;
      }
    }
    // The flags reached both sides: some of the hosts compared were FIPS hosts.
    expect(fipsHosts).toBeGreaterThan(0);
  });
});
