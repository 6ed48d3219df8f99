/** An error answered by the station API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the station API with the session cookie; throws {@link ApiError} on an error answer. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    credentials: 'same-origin',
    ...(init.body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }),
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent('ww-unauthenticated'));
    throw new ApiError(response.status, data.error?.code ?? 'INTERNAL', data.error?.message ?? response.statusText);
  }
  return data as T;
}

/** A camera as the API lists it. */
export interface CameraItem {
  id: string;
  name: string;
  location: { lat: number; lon: number; address?: string };
  ownership: string;
  owner?: string;
  status: { state: string; cause?: string; since: number };
  stats: { fps?: number; bitrateKbps?: number; width?: number; height?: number; lastFrameAt?: number };
  ptz: boolean;
  enabled: boolean;
  uptime24h: number | null;
}

/** The logged-in user. */
export interface Me {
  username: string;
  role: 'admin' | 'duty-officer' | 'investigator' | 'viewer';
  owner?: string;
  displayName?: string;
}

/** A station event as sent by the API. */
export interface EventItem {
  id?: string;
  type: string;
  at: number;
  cameraId?: string;
  [key: string]: unknown;
}
