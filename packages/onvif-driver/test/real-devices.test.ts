import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CameraSession, type DriverEvent, type Logger } from '@wardwatch/core';
import { createOnvifDriver, runOnvifCli, type OnvifDriverOptions } from '../src/index.js';
import { codedFailure as failure } from './helpers/coded-failure.js';
import { localSpec } from './helpers/local-spec.js';
import { dateTimeAnswer, envelope, fault } from './helpers/fake-http-server.js';
import { FIXTURES, fixture, startFixtureServer, type FixtureServer, type FixtureServerOptions } from './helpers/fixture-server.js';
import { waitFor } from './helpers/sim-specs.js';

const AXIS = 'axis-agsh-mockup-2014';
const PASSWORD = 'Adm1n:pw';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);
const AXIS_SNAPSHOT = 'GET /onvif-cgi/jpg/image.cgi?resolution=800x600&compression=20&camera=1';

const servers: FixtureServer[] = [];
const sessions: CameraSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: FixtureServerOptions): Promise<FixtureServer> {
  const server = await startFixtureServer(options);
  servers.push(server);
  return server;
}

function spec(port: number, options: Record<string, unknown> = {}, host = '127.0.0.1', streamHosts?: string[]) {
  return localSpec(port, PASSWORD, options, { id: 'cam-real', host, ...(streamHosts ? { streamHosts } : {}) });
}

/** A logger that keeps every record (bindings included) as JSON text. */
function recordingLogger(lines: string[], bindings: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (obj: unknown, msg?: string) => lines.push(JSON.stringify({ level, ...bindings, ...(typeof obj === 'object' ? obj : { msg: obj }), msg }));
  return { trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), fatal: write('fatal'), child: (b: Record<string, unknown>) => recordingLogger(lines, { ...bindings, ...b }) } as unknown as Logger;
}

async function connect(server: FixtureServer, options: Record<string, unknown> = {}, driverOptions: OnvifDriverOptions = {}, host?: string, streamHosts?: string[]): Promise<CameraSession> {
  const session = await createOnvifDriver({ timeoutMs: 2000, events: { enabled: false }, ...driverOptions }).connect(spec(server.port, options, host, streamHosts));
  sessions.push(session);
  return session;
}


/** Answers a captured PullMessages once, then empty long polls (as a device does when nothing changes). */
function pullOnce(file: string) {
  let served = false;
  return () => {
    if (!served) {
      served = true;
      return { body: fixture(file) };
    }
    return { body: envelope('<tev:PullMessagesResponse xmlns:tev="http://www.onvif.org/ver10/events/wsdl"/>') };
  };
}

async function collectEvents(session: CameraSession, until: (events: DriverEvent[]) => boolean): Promise<DriverEvent[]> {
  const events: DriverEvent[] = [];
  const sub = session.events$.subscribe((e) => events.push(e));
  try {
    await waitFor(() => until(events), 8000, 'device events');
  } finally {
    sub.unsubscribe();
  }
  return events;
}

const eventDriver: OnvifDriverOptions = { timeoutMs: 2000, events: { enabled: true, pullTimeoutMs: 1000, retryMinMs: 200, retryMaxMs: 400, motionHoldMs: 60_000 } };

describe('real device answers: Axis (agsh/onvif captures)', () => {
  it('connects from the captured answers; the snapshot URI keeps the port we reached the camera on (issue 25.3)', async () => {
    const server = await serve({ device: AXIS, answers: { [AXIS_SNAPSHOT]: () => ({ body: JPEG, headers: { 'Content-Type': 'image/jpeg' } }) } });
    const session = await connect(server);
    expect(session.device).toMatchObject({ manufacturer: 'Mockup Manufacturer', firmware: 'Mockup_15_14_13', serial: '00000000' });
    expect(session.streams.main).toMatchObject({ uri: `rtsp://admin:Adm1n%3Apw@127.0.0.1/h264main`, codec: 'h264', width: 1920, height: 1080 });
    // The camera reported http://192.168.68.111/onvif-cgi/... (port 80, like its services): it follows the reached host:port.
    expect(session.snapshotUri).toBe(`http://127.0.0.1:${server.port}/onvif-cgi/jpg/image.cgi?resolution=800x600&compression=20&camera=1`);
    expect(Buffer.from(await session.snapshot())).toEqual(JPEG);
  });

  it('reports PTZ position as unknown when GetStatus carries none, and the captured one when it does (issue 25.9)', async () => {
    const server = await serve({ device: AXIS });
    const session = await connect(server);
    expect(await session.ptz!.position()).toEqual({ pan: -0.864665985, tilt: 0.267444015, zoom: 0.211861998 });
    server.answers.set('GetStatus', `${AXIS}/GetStatus.no-position.xml`);
    expect(await session.ptz!.position()).toEqual({});
  });

  it('echoes the WS-Addressing ReferenceParameters (SubscriptionId) on every pull, and maps Axis motion and PIR topics (issues 25.4, 25.7)', async () => {
    const pulls = pullOnce(`${AXIS}/PullMessages.xml`);
    const server = await serve({
      device: AXIS,
      answers: {
        // Like the device: without the SubscriptionId header the generic /onvif/services address cannot tell the pull point.
        PullMessages: (request) =>
          /<dom0:SubscriptionId [^>]*IsReferenceParameter="true"[^>]*>297<\/dom0:SubscriptionId>/.test(request.body.split(/<\/?[\w-]*:?Body/)[0]!)
            ? pulls()
            : { status: 400, body: fault('ter:InvalidArgs', 'Invalid subscription') },
      },
    });
    const session = await createOnvifDriver(eventDriver).connect(spec(server.port));
    sessions.push(session);
    const events = await collectEvents(session, (e) => e.length >= 1);
    // Motion and PIR of one camera are one motion state: one start.
    expect(events).toEqual([expect.objectContaining({ type: 'motion', phase: 'start', topic: 'tns1:VideoAnalytics/tnsaxis:MotionDetection' })]);
    const pull = server.requests.find((r) => r.action === 'PullMessages')!;
    expect(pull.url).toBe('/onvif/services');
    expect(server.requests.filter((r) => r.action === 'PullMessages').every((r) => r.body.includes('>297</dom0:SubscriptionId>'))).toBe(true);
  });

  it('supports a Media2-only device: GetServices, Media2 GetProfiles/GetStreamUri/GetSnapshotUri, and the true H.265 codec (issues 25.1, 25.2)', async () => {
    const server = await serve({
      device: AXIS,
      answers: { GetCapabilities: `${AXIS}/GetCapabilities.media2-only.xml`, GetServices: `${AXIS}/GetServices.media2-only.xml`, 'media2.GetProfiles': `${AXIS}/media2.GetProfiles.h265.xml` },
    });
    const session = await connect(server);
    expect(session.streams.main).toMatchObject({ uri: 'rtsp://admin:Adm1n%3Apw@127.0.0.1/h264main', codec: 'h265', width: 2688, height: 1520, fps: 30 });
    expect(session.snapshotUri).toBe(`http://127.0.0.1:${server.port}/onvif-cgi/jpg/image.cgi?resolution=800x600&compression=20&camera=1`);
    expect(server.requests.map((r) => r.key)).toEqual(expect.arrayContaining(['device.GetServices', 'media2.GetProfiles', 'media2.GetStreamUri', 'media2.GetSnapshotUri']));
    expect(server.requests.some((r) => r.key === 'media.GetProfiles')).toBe(false);
  });

  it('takes the codec from Media2 when the Media1 profile has no encoder configuration (issue 25.1)', async () => {
    const server = await serve({
      device: AXIS,
      answers: {
        // Media1 profile without its encoder (Dahua in H.265 mode); the camera lists Media2 too.
        GetProfiles: () => ({ body: fixture(`${AXIS}/GetProfiles.xml`).replace(/<tt:VideoEncoderConfiguration[\s\S]*?<\/tt:VideoEncoderConfiguration>/, '') }),
        GetCapabilities: () => ({
          body: fixture(`${AXIS}/GetCapabilities.xml`).replace('</tds:Capabilities>', '<tt:Extension><tt:Media2><tt:XAddr>http://192.168.68.111/onvif/services</tt:XAddr></tt:Media2></tt:Extension></tds:Capabilities>'),
        }),
        'media2.GetProfiles': () => ({ body: fixture(`${AXIS}/media2.GetProfiles.h265.xml`).replace('token="profile_1_h264"', 'token="main"') }),
      },
    });
    const session = await connect(server);
    expect(session.streams.main.codec).toBe('h265');
    expect(server.requests.filter((r) => r.key === 'media2.GetProfiles')).toHaveLength(1);
  });

  it('says CAMERA_UNSUPPORTED with the reason when neither Media1 nor Media2 is offered (issue 25.2)', async () => {
    const server = await serve({ device: AXIS, answers: { GetCapabilities: `${AXIS}/GetCapabilities.media2-only.xml` } });
    const error = await failure(connect(server));
    expect(error.code).toBe('CAMERA_UNSUPPORTED');
    expect(error.message).toMatch(/no Media1 service in GetCapabilities; no Media2 service in GetServices/);
  });

  it('converts a LocalDateTime-only answer with a POSIX TZ that has DST (issue 25.11)', async () => {
    const winter = await serve({ device: AXIS, answers: { GetSystemDateAndTime: `${AXIS}/GetSystemDateAndTime.local-cet.xml` } });
    const before = Date.now();
    const w = await connect(winter);
    // 2014-12-24 19:14:37 CET (UTC+1) = 18:14:37Z
    expect(Math.abs(w.clockOffsetMs! - (Date.UTC(2014, 11, 24, 18, 14, 37) + 500 - before))).toBeLessThan(2000);
    const summer = await serve({
      device: AXIS,
      answers: { GetSystemDateAndTime: () => ({ body: fixture(`${AXIS}/GetSystemDateAndTime.local-cet.xml`).replace('<tt:Month>12</tt:Month>', '<tt:Month>7</tt:Month>') }) },
    });
    const s = await connect(summer);
    // 2014-07-24 19:14:37 CEST (UTC+2) = 17:14:37Z: one hour off without the DST rules.
    expect(Math.abs(s.clockOffsetMs! - (Date.UTC(2014, 6, 24, 17, 14, 37) + 500 - Date.now()))).toBeLessThan(2000);
  });

  it('names a DOCTYPE/entity body instead of "Wrong ONVIF SOAP response" (issue 25.13)', async () => {
    const server = await serve({
      device: AXIS,
      answers: { GetCapabilities: () => ({ body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><x>&a;&a;</x>' }) },
    });
    const error = await failure(connect(server));
    expect(error.code).toBe('CAMERA_PROTOCOL_ERROR');
    expect(error.message).toMatch(/GetCapabilities to http:\/\/127\.0\.0\.1:\d+\/onvif\/device_service carries a DOCTYPE declaration; DOCTYPE and entity bodies are refused/);
    expect(error.details).toMatchObject({ operation: 'GetCapabilities', reason: 'doctype' });
  });
});

describe('real device answers: clock skew with WS-Security-only auth (issue 25.10)', () => {
  const camera = (skewMs: number, password = PASSWORD) => {
    const cameraNow = () => new Date(Date.now() + skewMs);
    return {
      date: cameraNow,
      answers: {
        // Anonymous GetSystemDateAndTime refused; tokens accepted only when Created is within 5 min of the camera clock.
        '*': undefined,
        GetSystemDateAndTime: (request: { body: string }) => {
          const created = /<wsu:Created>([^<]+)</.exec(request.body)?.[1];
          if (!created || Math.abs(Date.parse(created) - cameraNow().getTime()) > 300_000 || password !== PASSWORD) {
            return { status: 400, body: fault('ter:NotAuthorized', 'Sender not Authorized') };
          }
          return { body: dateTimeAnswer(cameraNow()) };
        },
      },
    };
  };

  it('falls back to the HTTP Date header and retries in the camera time', async () => {
    const { date, answers } = camera(2 * 3_600_000);
    const server = await serve({ device: AXIS, date, answers: { GetSystemDateAndTime: answers.GetSystemDateAndTime } });
    const session = await connect(server, { auth: 'ws-security' });
    expect(Math.abs(session.clockOffsetMs! - 2 * 3_600_000)).toBeLessThan(2000);
    expect(server.requests.filter((r) => r.action === 'GetSystemDateAndTime')).toHaveLength(2);
  });

  it('words the error for skew when the camera keeps refusing and its clock is far off', async () => {
    const { date, answers } = camera(-3 * 3_600_000, 'other');
    const server = await serve({ device: AXIS, date, answers: { GetSystemDateAndTime: answers.GetSystemDateAndTime } });
    const error = await failure(connect(server, { auth: 'ws-security' }));
    expect(error.code).toBe('CAMERA_AUTH_FAILED');
    expect(error.message).toMatch(/camera clock is 10800 s behind the station's .* clock skew/);
    expect(error.details).toMatchObject({ reason: 'clock-skew' });
    expect(JSON.stringify(error.toJSON())).not.toContain(PASSWORD);
  });
});

describe('real device answers: Hikvision, Tapo, XiongMai, and a doubled-port subscription address', () => {
  it('reports H.265 when the Media1 encoder says encoding="H265" while <Encoding> says H264 (issue 25.1)', async () => {
    const server = await serve({ device: AXIS, answers: { GetProfiles: 'hikvision-zm1290/GetProfiles.h265.xml' } });
    const session = await connect(server);
    expect(session.streams.main.codec).toBe('h265');
    server.answers.set('GetProfiles', 'hikvision-zm1290/GetProfiles.xml');
    expect((await connect(server)).streams.main.codec).toBe('h264');
  });

  it('maps Tapo tamper, intrusion and people detection (issue 25.4)', async () => {
    const server = await serve({
      device: AXIS,
      answers: { CreatePullPointSubscription: 'tplink-tapo-ha-parsers/CreatePullPointSubscription.xml', PullMessages: pullOnce('tplink-tapo-ha-parsers/PullMessages.xml') },
    });
    const session = await createOnvifDriver(eventDriver).connect(spec(server.port));
    sessions.push(session);
    const events = await collectEvents(session, (e) => e.length >= 3);
    expect(events.map((e) => [e.type, 'kind' in e ? e.kind : undefined, 'phase' in e ? e.phase : undefined])).toEqual([
      ['tamper', 'covered', 'start'],
      ['analytics', 'intrusion', 'start'],
      ['analytics', 'people', 'start'],
    ]);
    // The Tapo pull point lives on port 2020 of the camera: rebased to the address we reached.
    expect(server.requests.find((r) => r.action === 'PullMessages')!.url).toBe('/event-0_2020');
  });

  it('keeps motion state per NVR channel, and a channel-bound camera gets only its channel (issue 25.5)', async () => {
    const answers = () => ({ GetProfiles: 'hikvision-zm1290/GetProfiles.nvr-2ch.xml', PullMessages: pullOnce('hikvision-zm1290/PullMessages.nvr-ch1-start-ch2-end.xml') });
    const all = await serve({ device: AXIS, answers: answers() });
    const whole = await createOnvifDriver(eventDriver).connect(spec(all.port));
    sessions.push(whole);
    const seen = await collectEvents(whole, (e) => e.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    // Channel 2's "end" must not end channel 1's motion: only channel 1's start.
    expect(seen).toEqual([expect.objectContaining({ type: 'motion', phase: 'start', source: 'VideoSourceToken001' })]);

    const one = await serve({ device: AXIS, answers: { ...answers(), PullMessages: pullOnce('hikvision-zm1290/PullMessages.nvr-ch1-start-ch2-end.xml') } });
    const channel2 = await createOnvifDriver(eventDriver).connect(spec(one.port, { channel: 2 }));
    sessions.push(channel2);
    expect((channel2 as unknown as { info: { mainProfile: string } }).info.mainProfile).toBe('ProfileToken002');
    const got: DriverEvent[] = [];
    const sub = channel2.events$.subscribe((e) => got.push(e));
    await waitFor(() => one.requests.filter((r) => r.action === 'PullMessages').length >= 2, 8000, 'two pulls');
    sub.unsubscribe();
    expect(got).toEqual([]);
    await expect(createOnvifDriver().connect(spec(one.port, { channel: 3 }))).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('repairs a subscription address with the port written twice instead of pulling the device service (issue 25.6)', async () => {
    const server = await serve({ device: AXIS, answers: { CreatePullPointSubscription: 'unknown-brand-ha92603/CreatePullPointSubscription.xml', PullMessages: pullOnce(`${AXIS}/PullMessages.xml`) } });
    const session = await createOnvifDriver(eventDriver).connect(spec(server.port));
    sessions.push(session);
    await collectEvents(session, (e) => e.length >= 1);
    const urls = server.requests.filter((r) => r.action === 'PullMessages').map((r) => r.url);
    expect(urls[0]).toBe('/onvif/Subscription?Idx=43');
    expect(urls).not.toContain('/onvif/device_service');
  });

  it('keeps a password written in the stream path out of the connect log and the CLI (issue 25.8)', async () => {
    const server = await serve({ device: AXIS, answers: { GetStreamUri: 'xiongmai-zm1346/GetStreamUri.xml' } });
    const lines: string[] = [];
    const session = await connect(server, {}, { logger: recordingLogger(lines) });
    expect(session.streams.main.uri).toContain('password=tlJwpbo6');
    expect(lines.some((l) => l.includes('onvif camera connected'))).toBe(true);
    expect(lines.join('\n')).not.toContain('tlJwpbo6');
    let out = '';
    const code = await runOnvifCli(['probe', `127.0.0.1:${server.port}`, '-u', 'admin', '-p', PASSWORD], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
    expect(code).toBe(0);
    expect(out).toMatch(/Main: +rtsp:\/\/admin:\*\*\*@192\.168\.0\.48:554\//);
    expect(out).not.toContain('tlJwpbo6');
    expect(out).not.toContain(PASSWORD);
  });
});

describe('HTTPS devices (issues 25.12, 24.6)', () => {
  const tls = { key: readFileSync(join(FIXTURES, 'tls/key.pem'), 'utf8'), cert: readFileSync(join(FIXTURES, 'tls/cert.pem'), 'utf8') };

  it('refuses a self-signed certificate with a coded error unless allowed, then speaks TLS only', async () => {
    const server = await serve({ device: AXIS, tls });
    const refused = await failure(createOnvifDriver({ timeoutMs: 2000, events: { enabled: false } }).connect(spec(server.port, { scheme: 'https' })));
    expect(refused.code).toBe('CAMERA_TLS_FAILED');
    expect(refused.message).toMatch(/allowSelfSignedTls/);
    const session = await connect(server, { scheme: 'https', allowSelfSignedTls: true });
    // A host written with its scheme works the same.
    await connect(server, { allowSelfSignedTls: true }, {}, 'https://127.0.0.1');
    expect((session as unknown as { info: { deviceUrl: string } }).info.deviceUrl).toBe(`https://127.0.0.1:${server.port}/onvif/device_service`);
    // The camera's http:// service and snapshot addresses follow the https address we reached: never downgraded.
    expect(session.snapshotUri).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${server.port}/`));
    expect(server.requests.length).toBeGreaterThan(4);
    let out = '';
    const cli = (args: string[]) => runOnvifCli(['probe', `https://127.0.0.1:${server.port}`, '-u', 'admin', '-p', PASSWORD, ...args], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
    expect(await cli([])).toBe(1);
    expect(out).toMatch(/^CAMERA_TLS_FAILED: /m);
    expect(await cli(['--allow-self-signed'])).toBe(0);
    expect(out).toContain(`Service:    https://127.0.0.1:${server.port}/onvif/device_service`);
  });

  it('refuses an https host written with a conflicting scheme option', async () => {
    await expect(createOnvifDriver().connect(spec(443, { scheme: 'http' }, 'https://127.0.0.1'))).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

describe('snapshot fetching against a hostile camera (issue 24.2)', () => {
  it('refuses a snapshot URI on another host unless allowed, and never sends Basic over plain http', async () => {
    const other = await serve({
      device: AXIS,
      answers: {
        'GET /steal': (r): { status?: number; body: string | Buffer; headers: Record<string, string> } =>
          r.headers.authorization ? { body: JPEG, headers: { 'Content-Type': 'image/jpeg' } } : { status: 401, body: '', headers: { 'WWW-Authenticate': 'Basic realm="x"' } },
      },
    });
    const camera = await serve({
      device: AXIS,
      answers: { GetSnapshotUri: () => ({ body: fixture(`${AXIS}/GetSnapshotUri.xml`).replace(/<tt:Uri>[^<]+<\/tt:Uri>/, `<tt:Uri>http://127.0.0.1:${other.port}/steal</tt:Uri>`) }) },
    });
    const session = await connect(camera, {}, {}, 'localhost');
    expect(session.snapshotUri).toBeUndefined();
    const refused = await failure(session.snapshot());
    expect(refused.code).toBe('CAMERA_UNSUPPORTED');
    expect(refused.message).toMatch(/another host .*connection\.streamHosts/);
    expect(other.requests).toHaveLength(0);

    const allowed = await connect(camera, {}, {}, 'localhost', ['127.0.0.1']);
    const basic = await failure(allowed.snapshot());
    expect(basic.code).toBe('CAMERA_AUTH_FAILED');
    expect(basic.message).toMatch(/Basic over plain http/);
    expect(other.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    const opted = await connect(camera, { allowBasicOverHttp: true }, {}, 'localhost', ['127.0.0.1']);
    expect(Buffer.from(await opted.snapshot())).toEqual(JPEG);
  });

  it('names no remote content (status text, body, size, content type) in snapshot errors', async () => {
    const server = await serve({ device: AXIS });
    server.answers.set(AXIS_SNAPSHOT, () => ({ status: 500, body: '<html>internal secret page</html>', headers: { 'Content-Type': 'text/x-secret' } }));
    const session = await connect(server);
    const failed = await failure(session.snapshot());
    server.answers.set(AXIS_SNAPSHOT, () => ({ body: 'not a jpeg but a secret page', headers: { 'Content-Type': 'text/x-secret' } }));
    const notJpeg = await failure(session.snapshot());
    for (const error of [failed, notJpeg]) {
      const text = JSON.stringify(error.toJSON());
      expect(text).not.toMatch(/secret|x-secret|Internal Server Error|\b28\b|\b33\b/);
    }
    expect(failed.code).toBe('CAMERA_PROTOCOL_ERROR');
    expect(notJpeg.message).toMatch(/is not a JPEG$/);
  });
});
