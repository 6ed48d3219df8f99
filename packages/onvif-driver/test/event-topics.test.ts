import { describe, expect, it } from 'vitest';
import { EVENT_TOPIC_TABLE, normaliseNotification, normaliseTopic, parseOnvifBoolean } from '../src/event-topics.js';

const at = 1_700_000_000_000;
const note = (topic: string, data: Record<string, string>, source: Record<string, string> = {}) => ({ topic, data, source, at });

describe('event topic normalisation', () => {
  it('strips namespace prefixes from every segment', () => {
    expect(normaliseTopic('tns1:RuleEngine/tnshik:CellMotionDetector/Motion')).toBe('RuleEngine/CellMotionDetector/Motion');
    expect(normaliseTopic(' tns1:VideoSource/MotionAlarm ')).toBe('VideoSource/MotionAlarm');
  });

  it.each([
    ['tns1:VideoSource/MotionAlarm', { State: 'true' }, 'start'],
    ['tns1:VideoSource/MotionAlarm', { State: 'false' }, 'end'],
    ['tns1:RuleEngine/CellMotionDetector/Motion', { IsMotion: 'true' }, 'start'],
    ['tns1:RuleEngine/CellMotionDetector/Motion', { IsMotion: '0' }, 'end'],
    ['tns1:RuleEngine/MotionRegionDetector/Motion', { State: '1' }, 'start'],
    ['tns1:RuleEngine/tnshik:MotionDetector/Motion', { IsMotion: 'true' }, 'start'],
    ['tns1:VideoAnalytics/tnsdahua:MotionDetection', { State: 'true' }, 'start'],
  ] as const)('maps %s %j to motion %s', (topic, data, phase) => {
    expect(normaliseNotification(note(topic, data))).toEqual({ type: 'motion', phase, at, topic });
  });

  it.each([
    ['tns1:VideoSource/GlobalSceneChange/ImagingService', 'scene-change'],
    ['tns1:VideoSource/ImageTooBlurry/AnalyticsService', 'defocus'],
    ['tns1:VideoSource/ImageTooDark/ImagingService', 'black'],
    ['tns1:VideoSource/ImageTooBright/ImagingService', 'covered'],
    ['tns1:RuleEngine/TamperDetector/Tamper', 'covered'],
  ] as const)('maps %s to tamper %s', (topic, kind) => {
    const data: Record<string, string> = topic.includes('TamperDetector') ? { IsTamper: 'true' } : { State: 'true' };
    expect(normaliseNotification(note(topic, data))).toEqual({ type: 'tamper', kind, phase: 'start', at, topic });
  });

  it('maps digital inputs to io events with the input token', () => {
    expect(normaliseNotification(note('tns1:Device/Trigger/DigitalInput', { LogicalState: 'true' }, { InputToken: 'DI_1' }))).toEqual({
      type: 'io',
      input: 'DI_1',
      active: true,
      at,
      topic: 'tns1:Device/Trigger/DigitalInput',
    });
  });

  it('maps relay outputs to io events of kind output with the relay token', () => {
    expect(normaliseNotification(note('tns1:Device/Trigger/Relay', { LogicalState: 'active' }, { RelayToken: 'Relay_1' }))).toEqual({
      type: 'io',
      input: 'Relay_1',
      kind: 'output',
      active: true,
      at,
      topic: 'tns1:Device/Trigger/Relay',
    });
  });

  it('ignores unknown topics and unreadable states', () => {
    expect(normaliseNotification(note('tns1:Monitoring/ProcessorUsage', { Value: '12' }))).toBeUndefined();
    expect(normaliseNotification(note('tns1:VideoSource/MotionAlarm', { State: 'maybe' }))).toBeUndefined();
    expect(normaliseNotification(note('tns1:VideoSource/MotionAlarmX', { State: 'true' }))).toBeUndefined();
  });

  it('honours a custom table', () => {
    const table = [...EVENT_TOPIC_TABLE, { topic: 'Vendor/Intrusion', items: ['Active'], meaning: { type: 'motion' } as const }];
    expect(normaliseNotification(note('v:Vendor/Intrusion', { Active: 'true' }), table)?.type).toBe('motion');
  });

  it('parses ONVIF booleans', () => {
    expect([parseOnvifBoolean('True'), parseOnvifBoolean('0'), parseOnvifBoolean(' on '), parseOnvifBoolean('x')]).toEqual([true, false, true, undefined]);
  });
});

describe('captured Axis and Tapo notifications', () => {
  it('maps tnsaxis:MotionDetection (item `motion`) and tnsaxis:Sensor/PIR (item `state`) to motion', async () => {
    const { parseNotifications } = await import('../src/pull-point-events.js');
    const { fixture } = await import('./helpers/fixture-server.js');
    const { parseXml, path } = await import('../src/xml-tree.js');
    const body = path(parseXml(fixture('axis-agsh-mockup-2014/PullMessages.xml')), 'Envelope', 'Body')!;
    const events = parseNotifications(body, () => at).map((n) => normaliseNotification(n));
    expect(events).toEqual([
      { type: 'motion', phase: 'start', at, topic: 'tns1:VideoAnalytics/tnsaxis:MotionDetection' },
      { type: 'motion', phase: 'start', at, topic: 'tns1:Device/tnsaxis:Sensor/PIR' },
    ]);
  });
});
