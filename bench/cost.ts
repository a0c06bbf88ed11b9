/**
 * List prices (us-east-1) the estimate uses. Only Step Functions and Lambda are priced: ECS and
 * ELBv2 API calls are free, and DynamoDB and EventBridge calls are reported as counts instead.
 */
export const PRICES = {
  /** Step Functions Standard, per state transition ($0.025 per 1,000). */
  sfnPerTransition: 0.025 / 1_000,
  /** Lambda, per request ($0.20 per 1M). */
  lambdaPerRequest: 0.2 / 1_000_000,
  /** Lambda on arm64 (serverless.yml `architecture: arm64`), per GB-second. */
  lambdaPerGbSecondArm64: 0.0000133334,
} as const;

export interface LambdaUsage {
  invocations: number;
  /** Configured memory (serverless.yml). */
  memoryMb: number;
  /** Measured durations of this function's invocations in the local run; may cover fewer than `invocations`. */
  durationsMs: number[];
}

export interface CostEstimate {
  usd: { stepFunctions: number; lambdaRequests: number; lambdaCompute: number; total: number };
  lambdaGbSeconds: number;
  /** Per function: invocations, memory, the mean billed ms used, and where it came from. */
  lambda: Record<string, { invocations: number; memoryMb: number; billedMsPerInvocation: number; durationSource: 'measured' | 'none' }>;
}

/**
 * The AWS bill for one deployment at list prices. Lambda duration is estimated from the handler
 * durations measured locally (warm, in-process, loopback AWS calls), billed per invocation rounded
 * up to the millisecond as Lambda does; functions with no measurement count requests only.
 */
export function estimateCost(transitions: number, lambda: Record<string, LambdaUsage>): CostEstimate {
  let gbSeconds = 0;
  let requests = 0;
  const perFunction: CostEstimate['lambda'] = {};
  for (const [name, usage] of Object.entries(lambda)) {
    const billed = usage.durationsMs.map((ms) => Math.max(1, Math.ceil(ms)));
    const meanBilled = billed.length > 0 ? billed.reduce((a, b) => a + b, 0) / billed.length : 0;
    requests += usage.invocations;
    gbSeconds += usage.invocations * (meanBilled / 1000) * (usage.memoryMb / 1024);
    perFunction[name] = {
      invocations: usage.invocations,
      memoryMb: usage.memoryMb,
      billedMsPerInvocation: Math.round(meanBilled * 10) / 10,
      durationSource: billed.length > 0 ? 'measured' : 'none',
    };
  }
  const stepFunctions = transitions * PRICES.sfnPerTransition;
  const lambdaRequests = requests * PRICES.lambdaPerRequest;
  const lambdaCompute = gbSeconds * PRICES.lambdaPerGbSecondArm64;
  return {
    usd: {
      stepFunctions: usd(stepFunctions),
      lambdaRequests: usd(lambdaRequests),
      lambdaCompute: usd(lambdaCompute),
      total: usd(stepFunctions + lambdaRequests + lambdaCompute),
    },
    lambdaGbSeconds: Math.round(gbSeconds * 1e6) / 1e6,
    lambda: perFunction,
  };
}

/** Dollars to 10 significant digits: sub-cent amounts stay readable without float dust. */
function usd(value: number): number {
  return Number(value.toPrecision(10));
}
