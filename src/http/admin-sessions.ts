import { randomBytes } from 'node:crypto';

/**
 * Sessions of the queue board, kept in this process's memory: the cookie carries an opaque random id, never the
 * admin token. Sessions end after `ttlMs` (12 hours), and on restart. With several `http` processes behind a load
 * balancer a session is known only to the process that opened it: use the `Authorization` header there, or sticky
 * sessions.
 */
export class AdminSessions {
  private readonly expiresAt = new Map<string, number>();

  constructor(
    readonly ttlMs = 12 * 3_600_000,
    private readonly maxSessions = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session id: 32 random bytes, base64url. */
  open(): string {
    this.sweep();
    if (this.expiresAt.size >= this.maxSessions) {
      // The oldest session gives way (Map keeps insertion order).
      const oldest = this.expiresAt.keys().next().value;
      if (oldest !== undefined) this.expiresAt.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    this.expiresAt.set(id, this.now() + this.ttlMs);
    return id;
  }

  /** Whether `id` names a live session. */
  valid(id: string | undefined): boolean {
    if (id === undefined || id === '') return false;
    const expires = this.expiresAt.get(id);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.expiresAt.delete(id);
      return false;
    }
    return true;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, expires] of this.expiresAt) if (expires <= now) this.expiresAt.delete(id);
  }
}
