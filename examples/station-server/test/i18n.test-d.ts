import { describe, expectTypeOf, it } from 'vitest';
import { label, t, type Key } from '../web/src/i18n.js';
import type { CameraView, MeAnswer } from '../web/src/api.js';
import type { Permission } from '../src/auth/roles.js';

describe('dashboard types', () => {
  it('t() accepts only known label keys', () => {
    expectTypeOf(t).parameter(0).toEqualTypeOf<Key>();
    expectTypeOf(t('cameras')).toEqualTypeOf<string>();
    // @ts-expect-error an unknown key does not compile
    t('no-such-label');
    // @ts-expect-error a plain string (e.g. from the server) needs label()
    t('cameras' as string);
    expectTypeOf(label).parameter(0).toEqualTypeOf<string>();
  });

  it('reads the API types from the server module (uptime24h one shape in list and detail)', () => {
    expectTypeOf<CameraView['uptime24h']>().toEqualTypeOf<{ ratio: number; upMs: number; byState: Record<'connecting' | 'online' | 'degraded' | 'offline' | 'disabled', number> } | null>();
    expectTypeOf<MeAnswer['permissions']>().toEqualTypeOf<Permission[]>();
  });
});
