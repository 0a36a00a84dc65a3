/**
 * Locks the journal when nobody has used the app for the configured time. Activity comes from
 * the renderer (keys and pointer) and from the operating system's idle clock under Electron.
 */
export class IdleLock {
  private lastActivity: number;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly onIdle: () => void,
    private timeoutMs: number,
    private readonly now: () => number = Date.now,
    private readonly checkEveryMs = 5000,
  ) {
    this.lastActivity = now();
  }

  touch(): void {
    this.lastActivity = this.now();
  }

  setTimeoutMinutes(minutes: number): void {
    this.timeoutMs = minutes * 60_000;
  }

  get timeoutMinutes(): number {
    return this.timeoutMs / 60_000;
  }

  get idleMs(): number {
    return this.now() - this.lastActivity;
  }

  /** Called on every tick; exposed so that the check can also run on demand. */
  check(): boolean {
    if (this.timer !== null && this.idleMs >= this.timeoutMs) {
      this.stop();
      this.onIdle();
      return true;
    }
    return false;
  }

  start(): void {
    this.stop();
    this.touch();
    this.timer = setInterval(() => this.check(), Math.min(this.checkEveryMs, Math.max(50, this.timeoutMs / 4)));
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }
}
