/** RTSP and snapshot path templates of one DVR/NVR family; `{channel}` is replaced by the channel number. */
export interface DvrUrlTemplates {
  /** Main (recording) stream path. */
  main: string;
  /** Sub (preview/analytics) stream path. */
  sub: string;
  /** HTTP snapshot path. */
  snapshot: string;
}

/**
 * Path templates of the common cheap DVR families: Hikvision (`/Streaming/Channels/101|102`) and
 * Dahua (`/cam/realmonitor?channel=1&subtype=0|1`).
 */
export const DVR_URL_TEMPLATES = {
  hikvision: {
    main: '/Streaming/Channels/{channel}01',
    sub: '/Streaming/Channels/{channel}02',
    snapshot: '/ISAPI/Streaming/channels/{channel}01/picture',
  },
  dahua: {
    main: '/cam/realmonitor?channel={channel}&subtype=0',
    sub: '/cam/realmonitor?channel={channel}&subtype=1',
    snapshot: '/cgi-bin/snapshot.cgi?channel={channel}',
  },
} as const satisfies Record<string, DvrUrlTemplates>;

/** A brand name with built-in templates. */
export type DvrBrand = keyof typeof DVR_URL_TEMPLATES;

/** Replaces `{channel}` in a template. */
export function expandTemplate(template: string, channel: number): string {
  return template.replaceAll('{channel}', String(channel));
}
