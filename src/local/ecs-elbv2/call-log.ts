import type { CallLog, CallRecord, EmulatedService } from './types.js';

/** Describe*, List* and Get* read; everything else changes something. */
export function isMutating(operation: string): boolean {
  return !/^(Describe|List|Get)/.test(operation);
}

export class MemoryCallLog implements CallLog {
  private records: CallRecord[] = [];

  record(service: EmulatedService, operation: string, faulted: boolean, at: number): void {
    this.records.push({ service, operation, mutating: isMutating(operation), faulted, at });
  }

  all(): CallRecord[] {
    return [...this.records];
  }

  count(filter: Partial<Pick<CallRecord, 'service' | 'operation' | 'mutating'>> = {}): number {
    return this.records.filter(
      (r) =>
        (filter.service === undefined || r.service === filter.service) &&
        (filter.operation === undefined || r.operation === filter.operation) &&
        (filter.mutating === undefined || r.mutating === filter.mutating),
    ).length;
  }

  byOperation(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.records) {
      const key = `${r.service}:${r.operation}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  reset(): void {
    this.records = [];
  }
}
