/**
 * In-process wake-ups per destination: a publish job that waits for another job's post to that destination (in
 * this process) is woken as soon as it settles, instead of looking again on a timer. Jobs in other processes are
 * not woken by this; they look again after `ms`.
 */
export class DestinationWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** Resolves on the next {@link wake} of `destination`, or after `ms`. */
  wait(destination: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiting.get(destination) ?? new Set<() => void>();
      this.waiting.set(destination, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiting.get(destination) === set) this.waiting.delete(destination);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  wake(destination: string): void {
    for (const done of [...(this.waiting.get(destination) ?? [])]) done();
  }
}
