import type { DriverEvent, TamperKind } from '@wardwatch/core';

/** What a device topic means once normalised. */
export type TopicMeaning = { type: 'motion' } | { type: 'tamper'; kind: TamperKind } | { type: 'analytics'; kind: string } | { type: 'io' };

/** One row of the topic table: a topic path (namespace prefixes removed), the data items that carry the state, and the meaning. */
export interface TopicRule {
  /** Normalised topic path; matches the topic itself or any sub-topic (`VideoSource/GlobalSceneChange/ImagingService`). */
  topic: string;
  /** `SimpleItem` names holding the boolean state, first found wins. */
  items: readonly string[];
  meaning: TopicMeaning;
}

/**
 * The single table that turns ONVIF topics into core event types: the standard motion and tamper
 * topics plus the common Hikvision / Dahua / Axis / TP-Link Tapo variants. Camera-side detections
 * that are not plain motion (Tapo intrusion, people, line crossing) become `analytics` events.
 */
export const EVENT_TOPIC_TABLE: readonly TopicRule[] = [
  // motion
  { topic: 'VideoSource/MotionAlarm', items: ['State'], meaning: { type: 'motion' } },
  { topic: 'RuleEngine/CellMotionDetector/Motion', items: ['IsMotion', 'State'], meaning: { type: 'motion' } },
  { topic: 'RuleEngine/MotionRegionDetector/Motion', items: ['State', 'IsMotion'], meaning: { type: 'motion' } },
  // Hikvision firmwares: RuleEngine/MotionDetector/Motion; Dahua: VideoAnalytics/MotionDetection and MotionAlarm variants.
  { topic: 'RuleEngine/MotionDetector/Motion', items: ['IsMotion', 'State'], meaning: { type: 'motion' } },
  // Axis: tns1:VideoAnalytics/tnsaxis:MotionDetection carries the item `motion`.
  { topic: 'VideoAnalytics/MotionDetection', items: ['State', 'IsMotion', 'motion'], meaning: { type: 'motion' } },
  { topic: 'VideoAnalytics/Motion', items: ['State', 'IsMotion'], meaning: { type: 'motion' } },
  { topic: 'RuleEngine/FieldDetector/ObjectsInside', items: ['IsInside'], meaning: { type: 'motion' } },
  // Axis PIR sensor: tns1:Device/tnsaxis:Sensor/PIR, item `state`.
  { topic: 'Device/Sensor/PIR', items: ['state'], meaning: { type: 'motion' } },
  // camera analytics (TP-Link Tapo smart detection)
  { topic: 'RuleEngine/CellMotionDetector/Intrusion', items: ['IsIntrusion'], meaning: { type: 'analytics', kind: 'intrusion' } },
  { topic: 'RuleEngine/CellMotionDetector/LineCross', items: ['IsLineCross'], meaning: { type: 'analytics', kind: 'line-cross' } },
  { topic: 'RuleEngine/CellMotionDetector/People', items: ['IsPeople'], meaning: { type: 'analytics', kind: 'people' } },
  { topic: 'RuleEngine/PeopleDetector/People', items: ['IsPeople'], meaning: { type: 'analytics', kind: 'people' } },
  // tamper
  { topic: 'VideoSource/GlobalSceneChange', items: ['State'], meaning: { type: 'tamper', kind: 'scene-change' } },
  { topic: 'VideoSource/ImageTooBlurry', items: ['State'], meaning: { type: 'tamper', kind: 'defocus' } },
  { topic: 'VideoSource/ImageTooDark', items: ['State'], meaning: { type: 'tamper', kind: 'black' } },
  { topic: 'VideoSource/ImageTooBright', items: ['State'], meaning: { type: 'tamper', kind: 'covered' } },
  { topic: 'RuleEngine/TamperDetector/Tamper', items: ['IsTamper', 'State'], meaning: { type: 'tamper', kind: 'covered' } },
  // TP-Link Tapo reports tampering under the cell motion detector.
  { topic: 'RuleEngine/CellMotionDetector/Tamper', items: ['IsTamper'], meaning: { type: 'tamper', kind: 'covered' } },
  { topic: 'VideoSource/SignalLoss', items: ['State'], meaning: { type: 'tamper', kind: 'black' } },
  // digital input
  { topic: 'Device/Trigger/DigitalInput', items: ['LogicalState'], meaning: { type: 'io' } },
  { topic: 'Device/IO/DigitalInput', items: ['LogicalState', 'State'], meaning: { type: 'io' } },
  // relay output
  { topic: 'Device/Trigger/Relay', items: ['LogicalState'], meaning: { type: 'io' } },
];

/** Removes namespace prefixes from each segment: `tns1:RuleEngine/tnshik:Motion` → `RuleEngine/Motion`. */
export function normaliseTopic(topic: string): string {
  return topic
    .trim()
    .split('/')
    .map((segment) => segment.replace(/^[^:]*:/, ''))
    .filter((segment) => segment.length > 0)
    .join('/');
}

/** Parses ONVIF boolean-ish values (`true`, `1`, `True`, `ON`). */
export function parseOnvifBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'on' || v === 'active') return true;
  if (v === 'false' || v === '0' || v === 'off' || v === 'inactive') return false;
  return undefined;
}

/** One notification as the pull point delivered it. */
export interface RawNotification {
  topic: string;
  /** `Data` simple items by name. */
  data: Record<string, string>;
  /** `Source` simple items by name. */
  source: Record<string, string>;
  at: number;
}

/** Turns a raw notification into a core driver event through {@link EVENT_TOPIC_TABLE}; `undefined` when unknown. */
export function normaliseNotification(notification: RawNotification, table: readonly TopicRule[] = EVENT_TOPIC_TABLE): DriverEvent | undefined {
  const path = normaliseTopic(notification.topic).toLowerCase();
  const rule = table.find((r) => {
    const t = r.topic.toLowerCase();
    return path === t || path.startsWith(`${t}/`);
  });
  if (!rule) return undefined;
  let active: boolean | undefined;
  for (const item of rule.items) {
    const key = Object.keys(notification.data).find((k) => k.toLowerCase() === item.toLowerCase());
    if (key !== undefined) {
      active = parseOnvifBoolean(notification.data[key]);
      if (active !== undefined) break;
    }
  }
  if (active === undefined) return undefined;
  const phase = active ? 'start' : 'end';
  const { topic, at } = notification;
  const source = videoSourceOf(notification.source);
  const from = source === undefined ? {} : { source };
  switch (rule.meaning.type) {
    case 'motion':
      return { type: 'motion', phase, at, topic, ...from };
    case 'tamper':
      return { type: 'tamper', kind: rule.meaning.kind, phase, at, topic, ...from };
    case 'analytics':
      return { type: 'analytics', kind: rule.meaning.kind, phase, at, topic, ...from };
    case 'io': {
      const input = notification.source.InputToken ?? notification.source.RelayToken ?? Object.values(notification.source)[0] ?? '0';
      const output = notification.source.InputToken === undefined && notification.source.RelayToken !== undefined;
      return { type: 'io', input, active, at, topic, ...(output ? { kind: 'output' as const } : {}) };
    }
  }
}

/** `Source` items that name the video source (channel) of a notification, in the order they are trusted. */
const SOURCE_ITEMS = ['VideoSourceToken', 'VideoSource', 'Source', 'VideoSourceConfigurationToken'] as const;

/** The video source (NVR channel) a notification concerns, from its `Source` items; undefined when it names none. */
export function videoSourceOf(source: Record<string, string>): string | undefined {
  for (const name of SOURCE_ITEMS) {
    const value = source[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
