import { describe, expect, it } from 'vitest';
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
