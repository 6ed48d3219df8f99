/**
 * The ONVIF Profile S CameraDriver: discovery, streams, snapshots, PTZ and events.
 *
 * @packageDocumentation
 * @module @wardwatch/onvif-driver
 */
export { createOnvifDriver } from './create-onvif-driver.js';
export type { OnvifDriverOptions } from './onvif-driver-options.js';
export { OnvifSession, connectOnvif } from './onvif-session.js';
export type { OnvifConnectInfo } from './onvif-session.js';
export type { OnvifProfile } from './onvif-profiles.js';
export type { OnvifAuthScheme } from './soap-client.js';
export { discoverOnvif } from './discover-onvif.js';
export type { DiscoverOnvifSettings } from './discover-onvif.js';
export { EVENT_TOPIC_TABLE, normaliseNotification, normaliseTopic } from './event-topics.js';
export type { RawNotification, TopicMeaning, TopicRule } from './event-topics.js';
export { debounceDriverEvents } from './debounce-driver-events.js';
export { parseScopes } from './parse-scopes.js';
export type { ScopeFacts } from './parse-scopes.js';
export { runOnvifCli } from './run-onvif-cli.js';
export type { CliIo } from './run-onvif-cli.js';
