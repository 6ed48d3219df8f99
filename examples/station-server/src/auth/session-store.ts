import { createHash, randomBytes } from 'node:crypto';
import type { PublicUser } from './user-store.js';

/** A logged-in session. */
export interface Session {
  user: PublicUser;
  createdAt: number;
  expiresAt: number;
}

/** In-memory sessions keyed by the SHA-256 of a random bearer token (the token itself is never stored). */
export interface SessionStore {
  /** Starts a session and returns its token (for the httpOnly cookie). */
  create(user: PublicUser): { token: string; session: Session };
  /** The live session of a token (sliding expiry), or undefined. */
  get(token: string | undefined): Session | undefined;
  /** Ends a session. */
  destroy(token: string | undefined): void;
  /** Ends every session of a user (e.g. when the user is removed). */
  destroyUser(username: string): void;
  /** Number of live sessions. */
  size(): number;
}

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** Idle time after which a session expires, ms. @default 43200000 (12 h) */
  ttlMs?: number;
  /** Clock for expiry. @default Date.now */
  now?: () => number;
}

/** Creates an in-memory session store with sliding expiry. */
export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const ttlMs = options.ttlMs ?? 12 * 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const key = (token: string): string => createHash('sha256').update(token).digest('hex');

  const sweep = (): void => {
    const t = now();
    for (const [k, s] of sessions) if (s.expiresAt <= t) sessions.delete(k);
  };

  return {
    create(user) {
      sweep();
      const token = randomBytes(32).toString('base64url');
      const t = now();
      const session: Session = { user, createdAt: t, expiresAt: t + ttlMs };
      sessions.set(key(token), session);
      return { token, session };
    },
    get(token) {
      if (!token) return undefined;
      const k = key(token);
      const session = sessions.get(k);
      if (!session) return undefined;
      const t = now();
      if (session.expiresAt <= t) {
        sessions.delete(k);
        return undefined;
      }
      session.expiresAt = t + ttlMs;
      return session;
    },
    destroy(token) {
      if (token) sessions.delete(key(token));
    },
    destroyUser(username) {
      for (const [k, s] of sessions) if (s.user.username === username) sessions.delete(k);
    },
    size() {
      sweep();
      return sessions.size;
    },
  };
}
