import { api, type CameraItem, type EventItem, type Me } from './api.js';

type Listener = () => void;

/** Client state shared by the pages: the user, cameras (kept current by the event stream) and live events. */
export const store = {
  me: undefined as Me | undefined,
  info: { stationName: '', demo: false, live: false, playback: false },
  cameras: new Map<string, CameraItem>(),
  recentEvents: [] as EventItem[],
  listeners: new Set<Listener>(),
  eventListeners: new Set<(event: EventItem) => void>(),
  source: undefined as EventSource | undefined,
};

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
  const { items } = await api<{ items: CameraItem[] }>('/cameras');
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
        camera.status = event['status'] as CameraItem['status'];
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
