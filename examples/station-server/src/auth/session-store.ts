import { createHash, randomBytes } from 'node:crypto';
import type { PublicUser } from './user-store.js';

/** A logged-in session. */
export interface Session {
  /** The SHA-256 of the session token: names the session without revealing the token (live grants use it). */
  id: string;
  user: PublicUser;
  createdAt: number;
  /** When the session ends unless used again (sliding). */
  expiresAt: number;
  /** When the session ends whatever happens (absolute lifetime). */
  endsAt: number;
}

/** In-memory sessions keyed by the SHA-256 of a random bearer token (the token itself is never stored). */
export interface SessionStore {
  /** Starts a session and returns its token (for the httpOnly cookie). */
  create(user: PublicUser): { token: string; session: Session };
  /** The live session of a token (sliding expiry, capped by the absolute lifetime), or undefined. */
  get(token: string | undefined): Session | undefined;
  /** The live session of an id, without extending it (e.g. to check a live viewer's rights). */
  peek(id: string): Session | undefined;
  /** Ends a session. */
  destroy(token: string | undefined): void;
  /** Ends every session of a user (e.g. when the user is removed). */
  destroyUser(username: string): void;
  /** Number of live sessions. */
  size(): number;
}

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** Idle time after which a session expires, ms. @default 7200000 (2 h) */
  ttlMs?: number;
  /** Absolute lifetime of a session however active, ms (a duty shift). @default 43200000 (12 h) */
  maxLifetimeMs?: number;
  /** Clock for expiry. @default Date.now */
  now?: () => number;
}

/** Creates an in-memory session store with sliding expiry and an absolute lifetime. */
export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const ttlMs = options.ttlMs ?? 2 * 60 * 60 * 1000;
  const maxLifetimeMs = options.maxLifetimeMs ?? 12 * 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const key = (token: string): string => createHash('sha256').update(token).digest('hex');
  const alive = (session: Session, t: number): boolean => session.expiresAt > t && session.endsAt > t;

  const sweep = (): void => {
    const t = now();
    for (const [k, s] of sessions) if (!alive(s, t)) sessions.delete(k);
  };
  const peek = (id: string): Session | undefined => {
    const session = sessions.get(id);
    if (!session) return undefined;
    if (alive(session, now())) return session;
    sessions.delete(id);
    return undefined;
  };

  return {
    create(user) {
      sweep();
      const token = randomBytes(32).toString('base64url');
      const t = now();
      const endsAt = t + maxLifetimeMs;
      const session: Session = { id: key(token), user, createdAt: t, expiresAt: Math.min(t + ttlMs, endsAt), endsAt };
      sessions.set(session.id, session);
      return { token, session };
    },
    get(token) {
      if (!token) return undefined;
      const session = peek(key(token));
      if (session) session.expiresAt = Math.min(now() + ttlMs, session.endsAt);
      return session;
    },
    peek,
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
