import { randomBytes } from 'node:crypto';
import type { Station } from '@wardwatch/core';
import { liveStreamName } from '@wardwatch/recorder';
import { can } from '../auth/roles.js';
import type { Session, SessionStore } from '../auth/session-store.js';
import type { PublicUser } from '../auth/user-store.js';
import type { LiveViewerInfo } from './live-url-provider.js';

/** Live views tied to the session that asked for them. */
export interface LiveGrants {
  /** A grant id for a live URL of `cameraId` asked by `session`. */
  grant(session: Session, cameraId: string): string;
  /** Whether a viewer may play now: its grant exists, its session is alive, and the user may still see the camera live. */
  allows(viewer: LiveViewerInfo): boolean;
}

/**
 * Creates the live grants of a server. A live URL is a bearer token, so it names a grant, and the relay asks
 * {@link LiveGrants.allows} at play and on every revalidation: a URL taken before logout, user removal or camera
 * reassignment, or whose session has expired, neither starts nor keeps streaming.
 */
export function createLiveGrants(options: {
  station: Station;
  sessions: SessionStore;
  canSeeCamera: (user: PublicUser, spec: NonNullable<ReturnType<Station['camera']>>['spec']) => boolean;
}): LiveGrants {
  const grants = new Map<string, { sessionId: string; cameraId: string }>();
  const valid = (id: string, g: { sessionId: string; cameraId: string }, streamPath: string): boolean => {
    const session = options.sessions.peek(g.sessionId);
    const camera = options.station.camera(g.cameraId);
    if (!session || !camera) {
      grants.delete(id);
      return false;
    }
    return streamPath.endsWith(`/${liveStreamName(g.cameraId)}`) && can(session.user.role, 'live.view') && options.canSeeCamera(session.user, camera.spec);
  };
  return {
    grant(session, cameraId) {
      for (const [id, g] of grants) if (!options.sessions.peek(g.sessionId)) grants.delete(id);
      const id = randomBytes(18).toString('base64url');
      grants.set(id, { sessionId: session.id, cameraId });
      return id;
    },
    allows(viewer) {
      const id = viewer.query['g'];
      const g = typeof id === 'string' ? grants.get(id) : undefined;
      return g !== undefined && typeof id === 'string' && valid(id, g, viewer.streamPath);
    },
  };
}
