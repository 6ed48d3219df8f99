import { api, type CameraView } from '../api.js';
import { h, showError, svg } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { stateColour, statusBadge } from '../status-badge.js';
import { can, loadCameras, onCamerasChanged, store } from '../store.js';

/** An offline plot of camera positions (lat/lon scaled into an SVG; no map tiles). */
function cameraMap(cameras: CameraView[]): SVGElement {
  const W = 640;
  const H = 480;
  const pad = 50;
  const lats = cameras.map((c) => c.location.lat);
  const lons = cameras.map((c) => c.location.lon);
  const minLat = Math.min(...lats);
  const maxLat = Math.max(...lats);
  const minLon = Math.min(...lons);
  const maxLon = Math.max(...lons);
  const midLat = ((minLat + maxLat) / 2) * (Math.PI / 180);
  // Equirectangular with the longitude scaled by cos(lat) so distances look right.
  const spanX = Math.max((maxLon - minLon) * Math.cos(midLat), 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = Math.min((W - 2 * pad) / spanX, (H - 2 * pad) / spanY);
  const x = (lon: number): number => W / 2 + ((lon - (minLon + maxLon) / 2) * Math.cos(midLat)) * scale;
  const y = (lat: number): number => H / 2 - (lat - (minLat + maxLat) / 2) * scale;
  const map = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'map', role: 'img', 'aria-label': t('map') });
  map.append(svg('rect', { x: 0, y: 0, width: W, height: H, fill: '#16202b' }));
  for (let i = 1; i < 8; i++) {
    map.append(svg('line', { x1: (W / 8) * i, y1: 0, x2: (W / 8) * i, y2: H, stroke: '#223040' }));
    map.append(svg('line', { x1: 0, y1: (H / 8) * i, x2: W, y2: (H / 8) * i, stroke: '#223040' }));
  }
  // A 100 m scale bar.
  const metresPerDegree = 111_320;
  const bar = (100 / metresPerDegree) * scale;
  if (bar > 5 && bar < W / 2) {
    map.append(svg('line', { x1: 20, y1: H - 20, x2: 20 + bar, y2: H - 20, stroke: '#ccc', 'stroke-width': 3 }));
    map.append(svg('text', { x: 20, y: H - 28, fill: '#ccc', 'font-size': 12 }, '100 m'));
  }
  for (const c of cameras) {
    const link = svg('a', { href: `#/camera/${c.id}`, 'data-camera-id': c.id, 'data-state': c.status.state });
    link.append(
      svg('circle', { cx: x(c.location.lon), cy: y(c.location.lat), r: 9, fill: stateColour(c.status.state), stroke: '#fff', 'stroke-width': 2 }, svg('title', {}, `${c.name} — ${t(c.status.state)}${c.uptime24h === null ? '' : ` — ${t('uptime')}: ${(c.uptime24h.ratio * 100).toFixed(1)} %`}`)),
      svg('text', { x: x(c.location.lon) + 12, y: y(c.location.lat) + 4, fill: '#e8eef5', 'font-size': 13 }, c.name),
    );
    map.append(link);
  }
  return map;
}

function addCameraForm(onAdded: () => void): HTMLElement {
  const out = h('div', {});
  const found = h('div', {});
  const field = (name: string, label: string, attrs: Record<string, string | boolean> = {}) => h('label', {}, label, h('input', { name, ...attrs }));
  const form = h(
    'form',
    {
      class: 'inline-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const data = new FormData(form);
        const body = {
          name: String(data.get('name')),
          onvifUrl: String(data.get('onvifUrl')),
          username: String(data.get('username') || '') || undefined,
          password: String(data.get('password') || '') || undefined,
          ownership: String(data.get('ownership')),
          lat: Number(data.get('lat')),
          lon: Number(data.get('lon')),
          address: String(data.get('address') || '') || undefined,
        };
        api('/cameras', { body })
          .then(() => {
            out.textContent = '✓';
            form.reset();
            onAdded();
          })
          .catch((error: unknown) => showError(out, error));
      },
    },
    field('name', t('name'), { required: true }),
    field('onvifUrl', 'ONVIF URL', { required: true, placeholder: 'http://192.0.2.10/onvif/device_service' }),
    field('username', t('username')),
    field('password', t('password'), { type: 'password' }),
    h('label', {}, t('ownership'), h('select', { name: 'ownership' }, ...(['station', 'household', 'business', 'boarding-house'] as const).map((o) => h('option', { value: o }, t(o))))),
    field('lat', 'Lat', { required: true, type: 'number', step: 'any' }),
    field('lon', 'Lon', { required: true, type: 'number', step: 'any' }),
    field('address', t('address')),
    h('button', { type: 'submit' }, t('add')),
  );
  const discover = h('button', {
    type: 'button',
    onclick: () => {
      found.textContent = '…';
      api<{ items: Array<{ host: string; port?: number; xaddrs?: string[]; name?: string; added: boolean }> }>('/cameras/discover', { body: {} })
        .then(({ items }) => {
          found.replaceChildren(
            ...(items.length === 0
              ? [t('none')]
              : items.map((d) =>
                  h(
                    'div',
                    {},
                    `${d.name ?? d.host} — ${d.xaddrs?.[0] ?? d.host} `,
                    d.added
                      ? '✓'
                      : h('button', { type: 'button', onclick: () => ((form.elements.namedItem('onvifUrl') as HTMLInputElement).value = d.xaddrs?.[0] ?? `http://${d.host}:${d.port ?? 80}/onvif/device_service`, ((form.elements.namedItem('name') as HTMLInputElement).value = d.name ?? d.host)) }, t('add')),
                  ),
                )),
          );
        })
        .catch((error: unknown) => showError(found, error));
    },
  }, 'ONVIF discovery');
  return h('details', { class: 'panel' }, h('summary', {}, `${t('add')} camera`), discover, found, form, out);
}

/** Cameras: list with status and uptime, the offline map, and the repair list. */
export function renderCamerasPage(root: HTMLElement): () => void {
  const listBox = h('div', { class: 'panel grow' });
  const mapBox = h('div', { class: 'panel' });
  const repairBox = h('div', { class: 'panel' });
  const isAdmin = can('cameras.manage');
  root.replaceChildren(
    h('div', { class: 'columns' }, h('div', { class: 'col' }, listBox, isAdmin ? addCameraForm(() => void loadCameras()) : ''), h('div', { class: 'col' }, mapBox, repairBox)),
  );

  const draw = (): void => {
    const cameras = [...store.cameras.values()].sort((a, b) => a.id.localeCompare(b.id));
    listBox.replaceChildren(
      h('h2', {}, t('list')),
      h(
        'table',
        { class: 'table', 'data-testid': 'camera-list' },
        h('thead', {}, h('tr', {}, ...[t('name'), t('status'), t('since'), t('ownership'), t('address'), t('uptime'), t('fps')].map((x) => h('th', {}, x)))),
        h(
          'tbody',
          {},
          ...cameras.map((c) =>
            h(
              'tr',
              { 'data-camera-id': c.id, 'data-state': c.status.state },
              h('td', {}, h('a', { href: `#/camera/${c.id}` }, c.name)),
              h('td', {}, statusBadge(c.status.state), c.status.cause ? h('div', { class: 'muted small' }, c.status.cause) : ''),
              h('td', {}, formatTime(c.status.since)),
              h('td', {}, t(c.ownership)),
              h('td', {}, c.location.address ?? ''),
              h('td', {}, c.uptime24h === null ? '—' : `${(c.uptime24h.ratio * 100).toFixed(1)} %`),
              h('td', {}, c.stats.fps !== undefined ? c.stats.fps.toFixed(1) : '—'),
            ),
          ),
        ),
      ),
    );
    mapBox.replaceChildren(h('h2', {}, t('map')), cameras.length > 0 ? cameraMap(cameras) : t('none'));
    const repair = cameras.filter((c) => c.status.state === 'offline' || c.status.state === 'degraded').sort((a, b) => a.status.since - b.status.since);
    repairBox.replaceChildren(
      h('h2', {}, t('needRepair')),
      repair.length === 0
        ? h('p', { class: 'muted' }, t('none'))
        : h(
            'ul',
            { class: 'repair', 'data-testid': 'repair-list' },
            ...repair.map((c) =>
              h('li', { 'data-camera-id': c.id }, statusBadge(c.status.state), ' ', h('a', { href: `#/camera/${c.id}` }, c.name), ` — ${t('since')} ${formatTime(c.status.since)} — ${c.status.cause ?? ''}`),
            ),
          ),
    );
  };
  draw();
  const off = onCamerasChanged(draw);
  const timer = setInterval(() => void loadCameras().catch((error: unknown) => showError(repairBox, error)), 30_000);
  return () => {
    off();
    clearInterval(timer);
  };
}
