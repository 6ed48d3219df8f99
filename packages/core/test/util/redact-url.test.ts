import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsIn } from '@wardwatch/core';

describe('redactUrl', () => {
  it('masks the password of the user info, keeping the user and the host', () => {
    expect(redactUrl('rtsp://admin:s3cret@10.0.0.5:554/Streaming/101')).toBe('rtsp://admin:***@10.0.0.5:554/Streaming/101');
    expect(redactUrl('rtsps://u:p@cam.local/x')).toBe('rtsps://u:***@cam.local/x');
  });

  it('masks a password that itself contains @ and :', () => {
    const out = redactUrl('rtsp://admin:p@ss:w0rd@10.0.0.5/live');
    expect(out).not.toContain('p@ss');
    expect(out).not.toContain('w0rd');
    expect(out).toContain('10.0.0.5/live');
  });

  it('masks secret query parameters, and keeps the others', () => {
    const out = redactUrl('rtsp://10.0.0.5/cam/realmonitor?channel=1&user=admin&password=hunter2&pwd=x1&token=abc');
    expect(out).not.toMatch(/hunter2|x1|abc/);
    expect(out).toContain('channel=1');
    expect(out).toContain('user=admin');
    expect(out).toContain('password=***');
  });

  it('masks passwords inside the path (user=..._password=..._channel=...)', () => {
    const out = redactUrl('rtsp://10.0.0.7:554/user=admin_password=tlJwpbo6_channel=1_stream=0.sdp?real_stream');
    expect(out).toBe('rtsp://10.0.0.7:554/user=admin_password=***_channel=1_stream=0.sdp?real_stream');
    expect(redactUrl('rtsp://10.0.0.7/live;pwd=abc;ch=1')).toBe('rtsp://10.0.0.7/live;pwd=***;ch=1');
  });

  it('masks what it cannot parse', () => {
    expect(redactUrl('rtsp://admin:s3cret@[bad host/x')).not.toContain('s3cret');
    expect(redactUrl('not a url password=zz')).not.toContain('zz');
  });

  it('leaves URLs without secrets unchanged', () => {
    expect(redactUrl('rtsp://10.0.0.5:554/Streaming/101')).toBe('rtsp://10.0.0.5:554/Streaming/101');
    expect(redactUrl('rtsp://10.0.0.5/monkey=1')).toBe('rtsp://10.0.0.5/monkey=1');
  });
});

describe('redactUrlsIn', () => {
  it('masks every URL of a text such as ffmpeg stderr', () => {
    const line = "[rtsp @ 0x55] rtsp://admin:s3cret@127.0.0.1:554/a: Connection refused; Input #0 from 'rtsp://u:pw2@h/b'";
    const out = redactUrlsIn(line);
    expect(out).not.toMatch(/s3cret|pw2/);
    expect(out).toContain('rtsp://admin:***@127.0.0.1:554/a');
    expect(out).toContain('Connection refused');
  });

  it('masks path passwords and query tokens in text', () => {
    const out = redactUrlsIn('publishing to rtmp://127.0.0.1:1935/live/cam?exp=1&sig=SIGNATURE and user=admin_password=pw_channel=1');
    expect(out).not.toMatch(/SIGNATURE|=pw_/);
  });
});
