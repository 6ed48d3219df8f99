import { describe, expect, it } from 'vitest';
import { checkStreamUri, parseCameraSpec, WardwatchError } from '@wardwatch/core';

const refused = (fn: () => unknown): WardwatchError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WardwatchError);
    expect((error as WardwatchError).code).toBe('CAMERA_STREAM_REFUSED');
    return error as WardwatchError;
  }
  throw new Error('expected CAMERA_STREAM_REFUSED');
};

describe('checkStreamUri (a camera is not a trusted device)', () => {
  it('accepts rtsp: and rtsps: streams of the camera host (case, brackets and a trailing dot aside)', () => {
    expect(checkStreamUri('rtsp://admin:pw@10.0.0.5:554/Streaming/101', { cameraHost: '10.0.0.5' }).port).toBe('554');
    expect(checkStreamUri('rtsps://Cam.Local./x', { cameraHost: 'cam.local' }).protocol).toBe('rtsps:');
    expect(checkStreamUri('rtsp://[fe80::1]/x', { cameraHost: 'FE80::1' }).pathname).toBe('/x');
  });

  it('refuses local files and every other scheme, without echoing the password', () => {
    for (const uri of ['file:/var/lib/wardwatch/recordings/cam-01/2026-01-01/00/1.mp4', 'file:///etc/passwd', 'http://10.0.0.5/x', 'rtmp://10.0.0.5/x', 'concat:a|b', 'subfile,,start,0,end,0,,:/etc/passwd', 'pipe:0']) {
      refused(() => checkStreamUri(uri, { cameraHost: '10.0.0.5' }));
    }
    const error = refused(() => checkStreamUri('http://admin:s3cret@10.0.0.5/x', { cameraHost: '10.0.0.5' }));
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('s3cret');
  });

  it("refuses another host unless the admin allowed it (an NVR)", () => {
    const error = refused(() => checkStreamUri('rtsp://admin:s3cret@169.254.169.254/x', { cameraHost: '10.0.0.5' }));
    expect(JSON.stringify(error.details)).not.toContain('s3cret');
    expect(checkStreamUri('rtsp://10.0.0.9/ch1', { cameraHost: '10.0.0.5', allowedHosts: ['10.0.0.9'] }).hostname).toBe('10.0.0.9');
    refused(() => checkStreamUri('rtsp://10.0.0.5.evil.example/x', { cameraHost: '10.0.0.5' }));
  });

  it('the camera spec carries the allowed stream hosts', () => {
    const spec = parseCameraSpec({ id: 'c1', name: 'c', site: { ward: 'w', station: 's' }, location: { lat: 0, lon: 0 }, ownership: 'station', driver: 'onvif', connection: { host: '10.0.0.5', streamHosts: ['10.0.0.9'] } });
    expect(spec.connection.streamHosts).toEqual(['10.0.0.9']);
  });
});
