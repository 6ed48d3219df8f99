import { attr, asArray, child, path, text, type XmlNode } from './xml-tree.js';

/** A media profile as the driver uses it. */
export interface OnvifProfile {
  token: string;
  name: string;
  /** The codec actually encoded (`h264`, `h265`, `mjpeg`, …). */
  encoding?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Whether a PTZ configuration is attached to the profile. */
  hasPtz: boolean;
  /** Token of the video source (sensor or NVR channel) the profile encodes. */
  videoSource?: string;
  /** Token of the profile's video source configuration (some devices name events by it). */
  videoSourceConfiguration?: string;
  /** The media service the profile came from. */
  service: 'media' | 'media2';
}

/** Maps ONVIF encoding names to the codec names of core's `StreamInfo` (`H265`/`HEVC` → `h265`, `JPEG` → `mjpeg`). */
export function normaliseCodec(encoding: string): string {
  const name = encoding.trim().toLowerCase();
  if (name === 'hevc' || name === 'h.265') return 'h265';
  if (name === 'avc' || name === 'h.264') return 'h264';
  if (name === 'jpeg') return 'mjpeg';
  return name;
}

function num(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function profileOf(
  raw: XmlNode,
  service: OnvifProfile['service'],
  parts: { source: XmlNode | undefined; encoder: XmlNode | undefined; ptz: XmlNode | undefined },
): OnvifProfile | undefined {
  const token = attr(raw, 'token');
  if (!token) return undefined;
  const { encoder } = parts;
  // Hikvision/EZVIZ Media1: `<tt:VideoEncoderConfiguration encoding="H265">` while `<tt:Encoding>` still says H264.
  const encoding = attr(encoder, 'encoding') ?? text(encoder, 'Encoding');
  const width = num(text(path(encoder, 'Resolution'), 'Width'));
  const height = num(text(path(encoder, 'Resolution'), 'Height'));
  const fps = num(text(path(encoder, 'RateControl'), 'FrameRateLimit'));
  const videoSource = text(parts.source, 'SourceToken');
  const videoSourceConfiguration = attr(parts.source, 'token');
  return {
    token,
    name: text(raw, 'Name') || token,
    ...(encoding ? { encoding: normaliseCodec(encoding) } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
    ...(fps !== undefined ? { fps } : {}),
    hasPtz: parts.ptz !== undefined,
    ...(videoSource ? { videoSource } : {}),
    ...(videoSourceConfiguration ? { videoSourceConfiguration } : {}),
    service,
  };
}

/** Reads the profiles of a Media1 GetProfilesResponse body. */
export function parseMedia1Profiles(body: XmlNode): OnvifProfile[] {
  return asArray<XmlNode>(child(body, 'GetProfilesResponse')?.Profiles).flatMap((raw) => {
    const profile = profileOf(raw, 'media', {
      source: child(raw, 'VideoSourceConfiguration'),
      encoder: child(raw, 'VideoEncoderConfiguration'),
      ptz: child(raw, 'PTZConfiguration'),
    });
    return profile ? [profile] : [];
  });
}

/** Reads the profiles of a Media2 GetProfilesResponse body (`Configurations/VideoSource|VideoEncoder|PTZ`). */
export function parseMedia2Profiles(body: XmlNode): OnvifProfile[] {
  return asArray<XmlNode>(child(body, 'GetProfilesResponse')?.Profiles).flatMap((raw) => {
    const configurations = child(raw, 'Configurations');
    const profile = profileOf(raw, 'media2', {
      source: child(configurations, 'VideoSource'),
      encoder: child(configurations, 'VideoEncoder'),
      ptz: child(configurations, 'PTZ'),
    });
    return profile ? [profile] : [];
  });
}
