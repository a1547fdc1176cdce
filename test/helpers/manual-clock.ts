/**
 * A clock that stands still until the test moves it: windows and deadlines measured on it (X's budget window, the
 * combine window, X_MAX_WAIT_HOURS) pass exactly when the test says, however slow the machine is.
 */
export class ManualClock {
  private ms: number;

  constructor(start: number | string) {
    this.ms = typeof start === 'number' ? start : Date.parse(start);
  }

  /** Epoch ms; pass it where a `now: () => number` is wanted. */
  readonly now = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }
}
