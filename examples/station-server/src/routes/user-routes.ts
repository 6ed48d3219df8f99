import { ROLES, type Role } from '../auth/roles.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { userSchema } from './schemas.js';

/** User administration (admin only): list, create, remove. */
export const userRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  app.get(
    '/users',
    { schema: { tags: ['users'], summary: 'Users of the station.', response: { 200: { type: 'object', properties: { items: { type: 'array', items: userSchema } } } } }, preHandler: ctx.requirePermission('users.manage') },
    async () => ({ items: await ctx.users.list() }),
  );

  app.post<{ Body: { username: string; password: string; role: Role; owner?: string; displayName?: string } }>(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Creates a user (password at least 10 characters; viewers need an owner).',
        body: {
          type: 'object',
          required: ['username', 'password', 'role'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 2, maxLength: 64 },
            password: { type: 'string', minLength: 10, maxLength: 256 },
            role: { type: 'string', enum: [...ROLES] },
            owner: { type: 'string', maxLength: 200 },
            displayName: { type: 'string', maxLength: 200 },
          },
        },
        response: { 201: userSchema },
      },
      preHandler: ctx.requirePermission('users.manage'),
    },
    async (request, reply) => {
      const user = await ctx.users.create(request.body);
      await ctx.audit(request, 'user.create', `user:${user.username}`, { role: user.role });
      return reply.code(201).send(user);
    },
  );

  app.delete<{ Params: { username: string } }>(
    '/users/:username',
    {
      schema: { tags: ['users'], summary: 'Removes a user and ends their sessions.', params: { type: 'object', required: ['username'], properties: { username: { type: 'string' } } } },
      preHandler: ctx.requirePermission('users.manage'),
    },
    async (request, reply) => {
      await ctx.users.remove(request.params.username);
      ctx.sessions.destroyUser(request.params.username);
      ctx.revalidateLive();
      await ctx.audit(request, 'user.remove', `user:${request.params.username}`);
      return reply.code(204).send();
    },
  );
};
