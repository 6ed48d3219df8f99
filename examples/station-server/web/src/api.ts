// The API's types come from the server's own module (`src/api/api-types.ts`), never copied here.

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

export type {
  ApiUser,
  CameraView,
  EventItem,
  ExportJobView,
  HealthAnswer,
  ItemsAnswer,
  LiveAnswer,
  MeAnswer,
  PlaybackAnswer,
  RecordingsAnswer,
  StationInfo,
} from '../../src/api/api-types.js';
export type { Permission, Role } from '../../src/auth/roles.js';
