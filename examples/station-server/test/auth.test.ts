import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/auth/password-hash.js';
import { can } from '../src/auth/roles.js';
import { createSessionStore } from '../src/auth/session-store.js';
import { createUserStore } from '../src/auth/user-store.js';

const dir = mkdtempSync(join(tmpdir(), 'ww-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('password hashing', () => {
  it('uses scrypt with a per-user salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});

describe('user store', () => {
  it('persists users with hashed passwords only, mode 0600', async () => {
    const path = join(dir, 'users.json');
    const users = createUserStore({ path });
    await users.create({ username: 'officer1', password: 'a-long-password', role: 'duty-officer' });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('a-long-password');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = createUserStore({ path });
    expect((await again.verify('officer1', 'a-long-password'))?.role).toBe('duty-officer');
    expect(await again.verify('officer1', 'wrong-password')).toBeUndefined();
    expect(await again.verify('nobody', 'a-long-password')).toBeUndefined();
  });
});

describe('sessions', () => {
  it('expire after the idle time and slide on use', () => {
    let now = 1_000;
    const sessions = createSessionStore({ ttlMs: 100, now: () => now });
    const { token } = sessions.create({ username: 'u', role: 'viewer', owner: 'o', createdAt: 0 });
    now = 1_090;
    expect(sessions.get(token)?.user.username).toBe('u');
    now = 1_180;
    expect(sessions.get(token)).toBeDefined();
    now = 1_281;
    expect(sessions.get(token)).toBeUndefined();
    expect(sessions.get('forged-token')).toBeUndefined();
  });
});

describe('roles', () => {
  it('keeps exports to investigators and admins and user management to admins', () => {
    expect(can('investigator', 'exports.create')).toBe(true);
    expect(can('duty-officer', 'exports.create')).toBe(false);
    expect(can('viewer', 'incidents.view')).toBe(false);
    expect(can('duty-officer', 'ptz.control')).toBe(true);
    expect(can('investigator', 'users.manage')).toBe(false);
    expect(can('admin', 'users.manage')).toBe(true);
  });
});
