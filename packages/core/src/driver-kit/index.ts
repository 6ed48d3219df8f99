/**
 * Building blocks for camera driver authors: an HTTP GET with a deadline, a size cap and Digest/Basic authentication,
 * every failure mapped to a catalogued error code, and credential injection into RTSP URIs.
 *
 * @packageDocumentation
 * @module @wardwatch/core/driver-kit
 */
export { answerHttpChallenge } from './answer-http-challenge.js';
export type { AnswerHttpChallengeOptions, DeviceCredentials } from './answer-http-challenge.js';
export { httpGet } from './http-get.js';
export type { HttpGetOptions, HttpGetResponse } from './http-get.js';
export { withRtspCredentials } from './with-rtsp-credentials.js';
export { wwwAuthenticateChallenges } from './www-authenticate-challenges.js';
