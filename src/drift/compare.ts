import { createHash } from 'node:crypto';
import type { DriftBaseline, DriftItem, LiveView } from './types.js';

/**
 * Baseline against live, as a person would judge it: only what stepcd set is compared (ECS's own
 * defaults and server-filled fields are not in the baseline), desiredCount only when the manifest
 * fixed it, and draining task sets are on their way out. Pure; the items come sorted by field.
 */
export function compareDrift(baseline: DriftBaseline, live: LiveView): DriftItem[] {
  const service = live.service;
  if (!service) return [{ field: 'service', expected: `${baseline.serviceName} in ${baseline.cluster}`, actual: 'missing' }];
  const items: DriftItem[] = [];
  if (baseline.desiredCount !== undefined && service.desiredCount !== baseline.desiredCount) {
    items.push({ field: 'service.desiredCount', expected: String(baseline.desiredCount), actual: String(service.desiredCount) });
  }
  for (const [field, expected] of Object.entries(baseline.serviceFields)) {
    const actual = (service as unknown as Record<string, unknown>)[field];
    if (!sameValue(expected, actual)) items.push({ field: `service.${field}`, expected: show(expected), actual: show(actual) });
  }

  const sets = live.taskSets.filter((s) => s.status !== 'DRAINING');
  const primary = sets.find((s) => s.status === 'PRIMARY');
  if (!primary) {
    items.push({ field: 'taskSet.primary', expected: baseline.taskDefinitionArn, actual: 'none' });
  } else {
    if (primary.taskDefinitionArn !== baseline.taskDefinitionArn) {
      items.push({ field: 'taskSet.primary.taskDefinition', expected: baseline.taskDefinitionArn, actual: primary.taskDefinitionArn });
    }
    if (primary.scalePercent !== 100) items.push({ field: 'taskSet.primary.scale', expected: '100%', actual: `${primary.scalePercent}%` });
  }
  for (const extra of sets.filter((s) => s !== primary)) {
    items.push({ field: `taskSet.${extra.id}`, expected: 'absent', actual: `${extra.status} ${extra.taskDefinitionArn} at ${extra.scalePercent}%` });
  }

  if (baseline.targetGroups) {
    for (const rule of live.rules) {
      if (rule.weights.primary === 100 && rule.weights.canary === 0) continue;
      items.push({
        field: `rule.${rule.ruleArn}.weights`,
        expected: 'primary 100 / canary 0',
        actual: `primary ${rule.weights.primary} / canary ${rule.weights.canary}`,
      });
    }
  }
  return items.sort((a, b) => a.field.localeCompare(b.field));
}

/** Same drift, same fingerprint: the check stays silent until it changes. */
export function fingerprintOf(items: readonly DriftItem[]): string {
  if (items.length === 0) return 'in-sync';
  return createHash('sha256').update(JSON.stringify(items)).digest('hex').slice(0, 16);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function show(value: unknown): string {
  return value === undefined ? '(unset)' : typeof value === 'string' ? value : JSON.stringify(value);
}
