import { WardwatchError } from '@wardwatch/core';
import type { OnvifProfile } from './onvif-profiles.js';

/** Which profile tokens to use, when the caller knows better than "largest is main, smallest is sub". */
export interface ProfilePreference {
  main?: string;
  sub?: string;
}

const area = (p: OnvifProfile): number => (p.width ?? 0) * (p.height ?? 0);

/**
 * Maps media profiles to a `main` stream (largest resolution) and a `sub` stream (the smallest one
 * strictly smaller than main), unless tokens are given in `preference`.
 */
export function selectProfiles(
  profiles: readonly OnvifProfile[],
  preference: ProfilePreference = {},
  address = '',
): { main: OnvifProfile; sub?: OnvifProfile } {
  const video = profiles.filter((p) => p.width !== undefined || p.encoding !== undefined);
  const candidates = video.length > 0 ? video : [...profiles];
  const byToken = (token: string): OnvifProfile => {
    const found = profiles.find((p) => p.token === token);
    if (!found) {
      throw new WardwatchError('INVALID_CONFIG', `Profile "${token}" is not offered by ${address}; it has ${profiles.map((p) => p.token).join(', ')}`, {
        details: { address, operation: 'GetProfiles' },
      });
    }
    return found;
  };
  if (candidates.length === 0) {
    throw new WardwatchError('CAMERA_UNSUPPORTED', `${address} offers no media profile`, { details: { address, operation: 'GetProfiles' } });
  }
  const sorted = [...candidates].sort((a, b) => area(b) - area(a));
  const main = preference.main ? byToken(preference.main) : sorted[0]!;
  let sub: OnvifProfile | undefined;
  if (preference.sub) sub = byToken(preference.sub);
  else {
    const smaller = sorted.filter((p) => p.token !== main.token && area(p) < area(main));
    sub = smaller[smaller.length - 1];
  }
  return sub ? { main, sub } : { main };
}
