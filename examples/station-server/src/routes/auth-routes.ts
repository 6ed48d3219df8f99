import { WardwatchError } from '@wardwatch/core';
import type { FastifyRequest } from 'fastify';
import type { MeAnswer } from '../api/api-types.js';
import { permissionsOf } from '../auth/roles.js';
import { SESSION_COOKIE } from '../auth/session-cookie.js';
import type { PublicUser } from '../auth/user-store.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { meSchema } from './schemas.js';

const meOf = (user: PublicUser): MeAnswer => ({ user, permissions: permissionsOf(user.role) });

/**
 * Login, logout and the current user with their permissions. Logins are throttled per IP and username and per IP
 * across usernames (a spray is stopped), password checks go through one concurrency gate (a spray cannot fill the
 * thread pool), and failed logins are audited one by one only up to a few per IP and window, then summed up in one
 * `auth.login.failed.summary` entry (an attacker cannot flood the audit log with names of their choosing).
 */
export const authRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const throttle = ctx.loginThrottle;
  const auditSummaries = async (all: boolean): Promise<void> => {
    for (const summary of throttle.drainSummaries(all)) {
      await ctx.station.audit({ actor: 'anonymous', action: 'auth.login.failed.summary', details: { ...summary } });
    }
  };
  const summaries = setInterval(() => {
    auditSummaries(false).catch((error: unknown) => app.log.error({ err: error }, 'failed-login summary not audited'));
  }, 60_000);
  summaries.unref();
  app.addHook('onClose', async () => {
    clearInterval(summaries);
    await auditSummaries(true);
  });

  const refuse = async (request: FastifyRequest, username: string, error: unknown): Promise<never> => {
    if (throttle.firstRefusal(request.ip, username)) {
      await ctx.station.audit({ actor: username.slice(0, 64), action: 'auth.login.rate-limited', details: { ip: request.ip } });
    }
    throw error;
  };

  app.post<{ Body: { username: string; password: string } }>(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the httpOnly session cookie. Throttled per IP and username, and per IP across usernames.',
        security: [],
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 256 } },
        },
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      try {
        throttle.check(request.ip, username);
      } catch (error) {
        return refuse(request, username, error);
      }
      const user = await ctx.passwordChecks.run(() => ctx.users.verify(username, password));
      if (!user) {
        if (throttle.failure(request.ip, username).audit) {
          await ctx.station.audit({ actor: username.slice(0, 64), action: 'auth.login.failed', details: { ip: request.ip } });
        }
        throw new WardwatchError('UNAUTHENTICATED', 'Wrong username or password');
      }
      throttle.success(request.ip, username);
      const { token, session } = ctx.sessions.create(user);
      request.wwUser = user;
      await ctx.audit(request, 'auth.login', `user:${user.username}`);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: ctx.secureCookies || request.protocol === 'https',
        expires: new Date(session.endsAt),
      });
      return meOf(user);
    },
  );

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'Ends the session (and its live views).' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = ctx.sessions.get(token);
    if (session) {
      request.wwUser = session.user;
      await ctx.audit(request, 'auth.logout', `user:${session.user.username}`);
    }
    ctx.sessions.destroy(token);
    ctx.revalidateLive();
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'The logged-in user and the permissions of their role.', response: { 200: meSchema } } },
    async (request): Promise<MeAnswer> => meOf(ctx.userOf(request)),
  );
};
