import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSerialQueue, WardwatchError } from '@wardwatch/core';
import { hashPassword, verifyPassword } from './password-hash.js';
import { ROLES, type Role } from './roles.js';

/** A station user as stored: the password only as a salted scrypt hash. */
export interface StoredUser {
  username: string;
  role: Role;
  /** For `viewer`: the owner reference matched against cameras' `owner` field. */
  owner?: string;
  displayName?: string;
  passwordHash: string;
  createdAt: number;
}

/** A user without its password hash, safe to return from the API. */
export type PublicUser = Omit<StoredUser, 'passwordHash'>;

/** What is needed to create a user. */
export interface NewUser {
  username: string;
  password: string;
  role: Role;
  owner?: string;
  displayName?: string;
}

/** Users of a station, persisted as one JSON file (mode 0600). */
export interface UserStore {
  list(): Promise<PublicUser[]>;
  get(username: string): Promise<PublicUser | undefined>;
  /** Creates a user; `ALREADY_EXISTS` when the name is taken, `INVALID_ARGUMENT` for a bad name, role or weak password. */
  create(user: NewUser): Promise<PublicUser>;
  /** Returns the user when the password matches, else undefined (same time for unknown users). */
  verify(username: string, password: string): Promise<PublicUser | undefined>;
  remove(username: string): Promise<void>;
  /** Number of users. */
  count(): Promise<number>;
}

/** Options of {@link createUserStore}. */
export interface UserStoreOptions {
  /** Path of the JSON file, e.g. `<data>/users.json`. */
  path: string;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
/** Minimum password length for created users. */
export const MIN_PASSWORD_LENGTH = 10;

function toPublic(user: StoredUser): PublicUser {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

/** Creates the file-backed user store (the file is created on the first write). */
export function createUserStore(options: UserStoreOptions): UserStore {
  let cache: StoredUser[] | undefined;
  const writes = createSerialQueue();
  // A hash of a random password, verified against for unknown users so timing does not reveal names.
  const dummyHash = hashPassword(`dummy-${Math.random()}`);

  const load = async (): Promise<StoredUser[]> => {
    if (cache) return cache;
    let parsed: { users?: unknown };
    try {
      parsed = JSON.parse(await readFile(options.path, 'utf8')) as { users?: unknown };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (cache = []);
      throw new WardwatchError('STORAGE_CORRUPT', `User file ${options.path} is not readable: ${(error as Error).message}`, { cause: error });
    }
    if (!Array.isArray(parsed.users)) throw new WardwatchError('STORAGE_CORRUPT', `User file ${options.path} is not readable: no "users" array`);
    cache = parsed.users as StoredUser[];
    return cache;
  };

  const save = async (users: StoredUser[]): Promise<void> => {
    await writes.run(async () => {
      await mkdir(dirname(options.path), { recursive: true, mode: 0o700 });
      const tmp = `${options.path}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, options.path);
    });
  };

  return {
    async list() {
      return (await load()).map(toPublic);
    },
    async get(username) {
      const user = (await load()).find((u) => u.username === username);
      return user ? toPublic(user) : undefined;
    },
    async create(input) {
      if (!USERNAME.test(input.username)) {
        throw new WardwatchError('INVALID_ARGUMENT', 'username must be 2-64 lowercase letters, digits, ".", "_" or "-"', {
          details: { field: 'username' },
        });
      }
      if (!ROLES.includes(input.role)) {
        throw new WardwatchError('INVALID_ARGUMENT', `role must be one of ${ROLES.join(', ')}`, { details: { field: 'role' } });
      }
      if (typeof input.password !== 'string' || input.password.length < MIN_PASSWORD_LENGTH) {
        throw new WardwatchError('INVALID_ARGUMENT', `password must be at least ${MIN_PASSWORD_LENGTH} characters`, {
          details: { field: 'password' },
        });
      }
      if (input.role === 'viewer' && !input.owner) {
        throw new WardwatchError('INVALID_ARGUMENT', 'a viewer needs an owner (the cameras it may see)', { details: { field: 'owner' } });
      }
      const users = await load();
      if (users.some((u) => u.username === input.username)) {
        throw new WardwatchError('ALREADY_EXISTS', `user ${input.username} already exists`);
      }
      const user: StoredUser = {
        username: input.username,
        role: input.role,
        ...(input.owner ? { owner: input.owner } : {}),
        ...(input.displayName ? { displayName: input.displayName } : {}),
        passwordHash: await hashPassword(input.password),
        createdAt: Date.now(),
      };
      const next = [...users, user];
      await save(next);
      cache = next;
      return toPublic(user);
    },
    async verify(username, password) {
      const user = (await load()).find((u) => u.username === username);
      if (!user) {
        await verifyPassword(password, await dummyHash);
        return undefined;
      }
      return (await verifyPassword(password, user.passwordHash)) ? toPublic(user) : undefined;
    },
    async remove(username) {
      const users = await load();
      if (!users.some((u) => u.username === username)) throw new WardwatchError('NOT_FOUND', `user ${username} does not exist`);
      const next = users.filter((u) => u.username !== username);
      await save(next);
      cache = next;
    },
    async count() {
      return (await load()).length;
    },
  };
}
