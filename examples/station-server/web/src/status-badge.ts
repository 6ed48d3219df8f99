import type { CameraState } from '@wardwatch/core';
import { h } from './dom.js';
import { t } from './i18n.js';

/** A coloured badge for a camera state. */
export function statusBadge(state: CameraState): HTMLElement {
  return h('span', { class: `badge state-${state}`, 'data-state': state }, t(state));
}

/** CSS colour of a camera state (map markers). */
export function stateColour(state: string): string {
  return { online: '#2e9d4f', degraded: '#e0a100', offline: '#d33', connecting: '#3a7bd5', disabled: '#777' }[state] ?? '#777';
}
