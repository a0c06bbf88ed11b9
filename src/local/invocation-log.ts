/**
 * Every Lambda invocation of the local stack, per function: counted when it starts (so a reader
 * never misses one still running) and timed in real ms when it ends, thrown or not.
 */
export class InvocationLog {
  private readonly started = new Map<string, number>();
  private readonly durations = new Map<string, number[]>();

  async time<T>(name: string, run: () => Promise<T>): Promise<T> {
    this.started.set(name, (this.started.get(name) ?? 0) + 1);
    const from = performance.now();
    try {
      return await run();
    } finally {
      const list = this.durations.get(name) ?? [];
      list.push(performance.now() - from);
      this.durations.set(name, list);
    }
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.started);
  }

  /** Real ms of each finished invocation, oldest first. */
  durationsMs(): Record<string, number[]> {
    return Object.fromEntries([...this.durations].map(([name, list]) => [name, [...list]]));
  }
}
