import { defaultEndpointResolver as dynamodb } from '@aws-sdk/client-dynamodb/dist-es/endpoint/endpointResolver.js';
import { defaultEndpointResolver as ecs } from '@aws-sdk/client-ecs/dist-es/endpoint/endpointResolver.js';
import { defaultEndpointResolver as events } from '@aws-sdk/client-eventbridge/dist-es/endpoint/endpointResolver.js';
import { defaultEndpointResolver as kms } from '@aws-sdk/client-kms/dist-es/endpoint/endpointResolver.js';
import { defaultEndpointResolver as lambda } from '@aws-sdk/client-lambda/dist-es/endpoint/endpointResolver.js';
import { defaultEndpointResolver as states } from '@aws-sdk/client-sfn/dist-es/endpoint/endpointResolver.js';
import { defaultEndpointResolver as ssm } from '@aws-sdk/client-ssm/dist-es/endpoint/endpointResolver.js';

/**
 * The endpoint rules of the services the signed calls reach, keyed by signing name. They are each
 * SDK client's own (2 KB of rules apiece, not the client): FIPS and dual-stack hosts differ by
 * service and partition in ways no one pattern covers (GovCloud's SSM and EventBridge FIPS hosts have
 * no `-fips`, its Step Functions dual-stack host always has), and the rules are what the SDK clients
 * beside these calls resolve.
 */
const RESOLVERS = { dynamodb, ecs, events, kms, lambda, ssm, states } as const;

export type SignedService = keyof typeof RESOLVERS;

const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';

/**
 * The service's endpoint in `region`, as the SDK resolves it when no endpoint is configured:
 * AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT choose the FIPS and dual-stack hosts (the
 * profile's use_fips_endpoint is not read). A combination AWS does not offer throws, as the SDK does.
 */
export function regionalEndpoint(service: SignedService, region: string, env: NodeJS.ProcessEnv): string {
  const { url } = RESOLVERS[service]({ Region: region, UseFIPS: isTrue(env.AWS_USE_FIPS_ENDPOINT), UseDualStack: isTrue(env.AWS_USE_DUALSTACK_ENDPOINT) });
  return url.href.replace(/\/$/, '');
}
