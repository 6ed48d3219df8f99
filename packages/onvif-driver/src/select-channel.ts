import { WardwatchError } from '@wardwatch/core';
import type { OnvifProfile } from './onvif-profiles.js';

/** The profiles and event sources of the channel a camera spec is bound to. */
export interface ChannelSelection {
  profiles: OnvifProfile[];
  /** Source tokens (video source and its configurations) whose events belong to this camera; undefined = all. */
  sources?: ReadonlySet<string>;
}

/** Distinct video source tokens in the order the profiles list them (channel 1 first). */
export function videoSources(profiles: readonly OnvifProfile[]): string[] {
  return [...new Set(profiles.flatMap((p) => (p.videoSource ? [p.videoSource] : [])))];
}

/**
 * Binds a camera spec to one video source of a multi-channel device (an NVR): `connection.options.videoSource`
 * (a source token) or `connection.options.channel` (1-based, in the order of the device's profiles). Without
 * either, every profile and every event is the camera's.
 */
export function selectChannel(profiles: readonly OnvifProfile[], options: Record<string, unknown>, address: string): ChannelSelection {
  const sources = videoSources(profiles);
  let token: string | undefined;
  if (typeof options.videoSource === 'string' && options.videoSource !== '') token = options.videoSource;
  else if (options.channel !== undefined) {
    const channel = Number(options.channel);
    if (!Number.isInteger(channel) || channel < 1) {
      throw new WardwatchError('INVALID_CONFIG', 'connection.options.channel must be a whole number from 1', { details: { address, field: 'connection.options.channel', value: options.channel } });
    }
    token = sources[channel - 1];
    if (token === undefined) {
      throw new WardwatchError('INVALID_CONFIG', `Channel ${channel} is not offered by ${address}; it has ${sources.length} video source(s)`, {
        details: { address, operation: 'GetProfiles', field: 'connection.options.channel', value: channel },
      });
    }
  }
  if (token === undefined) return { profiles: [...profiles] };
  const chosen = profiles.filter((p) => p.videoSource === token);
  if (chosen.length === 0) {
    throw new WardwatchError('INVALID_CONFIG', `Video source "${token}" is not offered by ${address}; it has ${sources.join(', ') || 'none'}`, {
      details: { address, operation: 'GetProfiles', field: 'connection.options.videoSource', value: token },
    });
  }
  const tokens = new Set<string>([token]);
  for (const p of chosen) if (p.videoSourceConfiguration) tokens.add(p.videoSourceConfiguration);
  return { profiles: chosen, sources: tokens };
}
