export { createRtspDvrDriver, parseDvrOptions } from './create-rtsp-dvr-driver.js';
export type { DvrConnectionOptions, DvrDriverOptions } from './dvr-driver-options.js';
export { DVR_URL_TEMPLATES, expandTemplate } from './url-templates.js';
export type { DvrBrand, DvrUrlTemplates } from './url-templates.js';
export { rtspOptions } from './rtsp-options-probe.js';
export type { RtspOptionsAnswer } from './rtsp-options-probe.js';
export { httpSnapshot } from './http-snapshot.js';
