import { describe, expect, it } from 'vitest';
import { redactUrl } from '@wardwatch/core';
import { withRtspCredentials } from '@wardwatch/core/driver-kit';

describe('withRtspCredentials', () => {
  it('puts percent-encoded credentials into the URI', () => {
    expect(withRtspCredentials('rtsp://10.0.0.5:554/Streaming/Channels/101', 'admin', 'p@ss:1/#')).toBe('rtsp://admin:p%40ss%3A1%2F%23@10.0.0.5:554/Streaming/Channels/101');
    expect(withRtspCredentials('rtsp://[fe80::1]/cam/realmonitor?channel=1&subtype=0', 'u', 'p')).toBe('rtsp://u:p@[fe80::1]/cam/realmonitor?channel=1&subtype=0');
  });

  it('replaces credentials already in the URI, and removes them without a user name', () => {
    expect(withRtspCredentials('rtsp://old:older@cam.local/live', 'new', 'pw')).toBe('rtsp://new:pw@cam.local/live');
    expect(withRtspCredentials('rtsp://old:older@cam.local/live')).toBe('rtsp://cam.local/live');
    expect(withRtspCredentials('rtsp://cam.local/live', 'viewer')).toBe('rtsp://viewer@cam.local/live');
  });

  it('gives a URI that redactUrl masks', () => {
    expect(redactUrl(withRtspCredentials('rtsp://cam.local/live', 'admin', 'secret'))).toBe('rtsp://admin:***@cam.local/live');
  });

  it('refuses what is not a URI', () => {
    expect(() => withRtspCredentials('cam.local/live', 'a', 'b')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
