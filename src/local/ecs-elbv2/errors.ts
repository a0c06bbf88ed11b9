/**
 * An error the emulator answers with, in the service's own vocabulary (`__type` for ECS, `<Code>` for
 * ELBv2). The wire layer turns it into the right status and body; it never escapes the handler.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const ecsErrors = {
  clusterNotFound: () => new ApiError('ClusterNotFoundException', 'Cluster not found.'),
  serviceNotFound: () => new ApiError('ServiceNotFoundException', 'Service not found.'),
  serviceNotActive: () => new ApiError('ServiceNotActiveException', 'Service was not ACTIVE.'),
  taskSetNotFound: () => new ApiError('TaskSetNotFoundException', 'The specified task set does not exist.'),
  invalid: (message: string) => new ApiError('InvalidParameterException', message),
  client: (message: string) => new ApiError('ClientException', message),
};

export const elbErrors = {
  loadBalancerNotFound: (arn: string) => new ApiError('LoadBalancerNotFound', `Load balancers '[${arn}]' not found`),
  listenerNotFound: (arn: string) => new ApiError('ListenerNotFound', `Listener '${arn}' not found`),
  ruleNotFound: (arn: string) => new ApiError('RuleNotFound', `One or more rules not found: '${arn}'`),
  targetGroupNotFound: (arn: string) => new ApiError('TargetGroupNotFound', `Target groups '[${arn}]' not found`),
  validation: (message: string) => new ApiError('ValidationError', message),
  invalidAction: (message: string) => new ApiError('InvalidLoadBalancerAction', message),
  notPermitted: (message: string) => new ApiError('OperationNotPermitted', message),
  priorityInUse: (priority: number) => new ApiError('PriorityInUse', `Priority '${priority}' is currently in use`),
  duplicate: (code: string, message: string) => new ApiError(code, message),
};
