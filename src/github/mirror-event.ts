/** The two kinds of event the mirror is fed: stepcd's own, and the end of a deployment's execution. */
export interface MirrorEvent {
  source: string;
  'detail-type': string;
  detail: unknown;
}

/**
 * Pure: the stepcd deployment an event is about. stepcd events name it; a Step Functions status
 * change carries the execution input (a plan, or a rollback-only execution's data holding one).
 * An execution's end is the backstop for the end paths that publish no stepcd event (a queued
 * deployment superseded by a newer one).
 */
export function deploymentIdOf(event: MirrorEvent): string | undefined {
  const detail = (event.detail ?? {}) as { deploymentId?: unknown; input?: unknown };
  if (event.source === 'stepcd') return typeof detail.deploymentId === 'string' ? detail.deploymentId : undefined;
  if (event.source !== 'aws.states' || typeof detail.input !== 'string') return undefined;
  try {
    const input = JSON.parse(detail.input) as { deploymentId?: unknown; plan?: { deploymentId?: unknown } };
    const id = input.deploymentId ?? input.plan?.deploymentId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
