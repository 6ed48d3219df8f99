import { WardwatchError } from '@wardwatch/core';
import { SESSION_COOKIE } from '../auth/session-cookie.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import type { MeAnswer } from '../api/api-types.js';
import { permissionsOf } from '../auth/roles.js';
import type { PublicUser } from '../auth/user-store.js';
import { meSchema } from './schemas.js';

const meOf = (user: PublicUser): MeAnswer => ({ user, permissions: permissionsOf(user.role) });

/** Login, logout and the current user with their permissions. */
export const authRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  app.post<{ Body: { username: string; password: string } }>(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the httpOnly session cookie. Rate-limited per IP and username.',
        security: [],
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 256 } },
        },
        response: { 200: meSchema },
      },
      config: {
        rateLimit: {
          // After body parsing, so the key can include the username.
          hook: 'preHandler',
          max: ctx.loginRateLimit.max,
          timeWindow: ctx.loginRateLimit.windowMs,
          keyGenerator: (request) => {
            const body = request.body as { username?: unknown } | undefined;
            const name = typeof body?.username === 'string' ? body.username.toLowerCase() : '';
            return `${request.ip}|${name}`;
          },
          onExceeded: (request) => {
            const body = request.body as { username?: unknown } | undefined;
            void ctx.station.storage.audit
              .append({
                at: Date.now(),
                actor: typeof body?.username === 'string' ? body.username.slice(0, 64) : 'anonymous',
                action: 'auth.login.rate-limited',
                details: { ip: request.ip },
              })
              .catch((error: unknown) => request.log.error({ err: error }, 'audit write failed'));
          },
        },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const user = await ctx.users.verify(username, password);
      if (!user) {
        await ctx.station.storage.audit.append({ at: Date.now(), actor: username.slice(0, 64), action: 'auth.login.failed', details: { ip: request.ip } });
        throw new WardwatchError('UNAUTHENTICATED', 'Wrong username or password');
      }
      const { token, session } = ctx.sessions.create(user);
      request.wwUser = user;
      await ctx.audit(request, 'auth.login', `user:${user.username}`);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: request.protocol === 'https',
        expires: new Date(session.expiresAt),
      });
      return meOf(user);
    },
  );

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'Ends the session.' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = ctx.sessions.get(token);
    if (session) {
      request.wwUser = session.user;
      await ctx.audit(request, 'auth.logout', `user:${session.user.username}`);
    }
    ctx.sessions.destroy(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'The logged-in user and the permissions of their role.', response: { 200: meSchema } } },
    async (request): Promise<MeAnswer> => meOf(ctx.userOf(request)),
  );

};
