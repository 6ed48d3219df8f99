import { api, type CameraView, type EventItem, type ItemsAnswer, type MeAnswer, type Permission, type StationInfo } from './api.js';

type Listener = () => void;

/** Client state shared by the pages: the user, cameras (kept current by the event stream) and live events. */
export const store = {
  /** The logged-in user and their permissions (`GET /auth/me`). */
  me: undefined as MeAnswer | undefined,
  info: { stationName: '', demo: false, live: false, playback: false } as StationInfo,
  cameras: new Map<string, CameraView>(),
  recentEvents: [] as EventItem[],
  listeners: new Set<Listener>(),
  eventListeners: new Set<(event: EventItem) => void>(),
  source: undefined as EventSource | undefined,
};

/** Whether the logged-in user's role grants `permission` (pages and buttons are shown by this, the server enforces it). */
export function can(permission: Permission): boolean {
  return store.me?.permissions.includes(permission) ?? false;
}

/** Subscribes to camera changes; returns the unsubscribe function. */
export function onCamerasChanged(listener: Listener): () => void {
  store.listeners.add(listener);
  return () => store.listeners.delete(listener);
}

/** Subscribes to live events; returns the unsubscribe function. */
export function onEvent(listener: (event: EventItem) => void): () => void {
  store.eventListeners.add(listener);
  return () => store.eventListeners.delete(listener);
}

function notify(): void {
  for (const l of store.listeners) l();
}

/** Reloads the camera list from the API. */
export async function loadCameras(): Promise<void> {
  const { items } = await api<ItemsAnswer<CameraView>>('/cameras');
  store.cameras = new Map(items.map((c) => [c.id, c]));
  notify();
}

/** Opens the live event stream (Server-Sent Events); status events update the cameras at once. */
export function connectEvents(): void {
  store.source?.close();
  const source = new EventSource('/api/events/stream');
  store.source = source;
  source.addEventListener('station', (message) => {
    const event = JSON.parse((message as MessageEvent<string>).data) as EventItem;
    store.recentEvents.unshift(event);
    if (store.recentEvents.length > 300) store.recentEvents.length = 300;
    if (event.type === 'camera.status' && typeof event.cameraId === 'string') {
      const camera = store.cameras.get(event.cameraId);
      if (camera) {
        camera.status = event['status'] as CameraView['status'];
        notify();
      }
    } else if (event.type === 'camera.added' || event.type === 'camera.removed' || event.type === 'camera.updated') {
      void loadCameras();
    }
    for (const l of store.eventListeners) l(event);
  });
}

/** Closes the event stream. */
export function disconnectEvents(): void {
  store.source?.close();
  store.source = undefined;
}
