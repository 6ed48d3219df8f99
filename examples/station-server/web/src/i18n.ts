/** Dashboard languages. */
export type Lang = 'vi' | 'en';

const dict = {
  appTitle: ['Giám sát an ninh trật tự', 'Ward security monitoring'],
  login: ['Đăng nhập', 'Log in'],
  logout: ['Đăng xuất', 'Log out'],
  username: ['Tên đăng nhập', 'Username'],
  password: ['Mật khẩu', 'Password'],
  loginFailed: ['Sai tên đăng nhập hoặc mật khẩu', 'Wrong username or password'],
  wall: ['Màn hình giám sát', 'Video wall'],
  cameras: ['Camera', 'Cameras'],
  events: ['Sự kiện', 'Events'],
  incidents: ['Vụ việc', 'Incidents'],
  exports: ['Trích xuất', 'Exports'],
  layout: ['Bố cục', 'Layout'],
  online: ['Trực tuyến', 'Online'],
  offline: ['Mất tín hiệu', 'Offline'],
  degraded: ['Suy giảm', 'Degraded'],
  connecting: ['Đang kết nối', 'Connecting'],
  disabled: ['Tắt', 'Disabled'],
  liveUnavailable: ['Không có hình trực tiếp', 'Live unavailable'],
  map: ['Bản đồ vị trí', 'Map of positions'],
  list: ['Danh sách', 'List'],
  needRepair: ['Camera cần sửa chữa', 'Cameras needing repair'],
  none: ['Không có', 'None'],
  since: ['Từ lúc', 'Since'],
  cause: ['Nguyên nhân', 'Cause'],
  uptime: ['Thời gian hoạt động (24h)', 'Uptime (24 h)'],
  name: ['Tên', 'Name'],
  status: ['Trạng thái', 'Status'],
  ownership: ['Sở hữu', 'Ownership'],
  address: ['Địa chỉ', 'Address'],
  station: ['Công an phường', 'Station'],
  household: ['Hộ gia đình', 'Household'],
  business: ['Doanh nghiệp', 'Business'],
  'boarding-house': ['Nhà trọ', 'Boarding house'],
  snapshot: ['Ảnh chụp', 'Snapshot'],
  refresh: ['Làm mới', 'Refresh'],
  ptz: ['Điều khiển PTZ', 'PTZ control'],
  noPtz: ['Camera không có PTZ', 'This camera has no PTZ'],
  recordings: ['Bản ghi', 'Recordings'],
  day: ['Ngày', 'Day'],
  playback: ['Xem lại', 'Playback'],
  playFrom: ['Phát từ', 'Play from'],
  play: ['Phát', 'Play'],
  gap: ['Khoảng trống', 'Gap'],
  noRecording: ['Không có bản ghi', 'No recording'],
  type: ['Loại', 'Type'],
  time: ['Thời gian', 'Time'],
  camera: ['Camera', 'Camera'],
  details: ['Chi tiết', 'Details'],
  live: ['Trực tiếp', 'Live'],
  newIncident: ['Tạo vụ việc', 'New incident'],
  title: ['Tiêu đề', 'Title'],
  category: ['Loại vụ việc', 'Category'],
  occurredAt: ['Thời điểm xảy ra', 'Occurred at'],
  description: ['Mô tả', 'Description'],
  create: ['Tạo', 'Create'],
  outcome: ['Kết quả xử lý', 'Outcome'],
  setStatus: ['Chuyển trạng thái', 'Set status'],
  setOutcome: ['Ghi kết quả', 'Record outcome'],
  linkRange: ['Gắn camera và thời gian', 'Link camera and time range'],
  from: ['Từ', 'From'],
  to: ['Đến', 'To'],
  add: ['Thêm', 'Add'],
  save: ['Lưu', 'Save'],
  report: ['Báo cáo', 'Report'],
  total: ['Tổng số', 'Total'],
  clarified: ['Làm rõ nhờ camera', 'Clarified with footage'],
  newExport: ['Trích xuất đoạn video', 'Export a clip'],
  start: ['Bắt đầu', 'Start'],
  download: ['Tải xuống', 'Download'],
  progress: ['Tiến độ', 'Progress'],
  cancel: ['Huỷ', 'Cancel'],
  running: ['Đang chạy', 'Running'],
  done: ['Hoàn tất', 'Done'],
  failed: ['Lỗi', 'Failed'],
  cancelled: ['Đã huỷ', 'Cancelled'],
  reason: ['Lý do', 'Reason'],
  demoMode: ['Chế độ trình diễn', 'Demo mode'],
  open: ['Mới', 'Open'],
  investigating: ['Đang xác minh', 'Investigating'],
  resolved: ['Đã giải quyết', 'Resolved'],
  closed: ['Đã đóng', 'Closed'],
  forbidden: ['Bạn không có quyền xem trang này', 'You may not see this page'],
  lastFrame: ['Khung hình cuối', 'Last frame'],
  fps: ['Khung/giây', 'fps'],
  all: ['Tất cả', 'All'],
  back: ['Quay lại', 'Back'],
  theft: ['Trộm cắp tài sản', 'Theft'],
  'snatching-robbery': ['Cướp giật', 'Snatching / robbery'],
  assault: ['Hành hung, gây thương tích', 'Assault'],
  'property-damage': ['Huỷ hoại tài sản', 'Property damage'],
  'illegal-racing': ['Đua xe trái phép', 'Illegal racing'],
  'loan-shark-flyers': ['Tờ rơi tín dụng đen', 'Loan-shark flyers'],
  'traffic-accident': ['Tai nạn giao thông', 'Traffic accident'],
  'waste-dumping': ['Đổ trộm rác thải', 'Waste dumping'],
  'public-order': ['Gây rối trật tự công cộng', 'Public order'],
  other: ['Khác', 'Other'],
  'administrative-fine': ['Xử phạt hành chính', 'Administrative fine'],
  prosecuted: ['Khởi tố', 'Prosecuted'],
  'no-violation': ['Không vi phạm', 'No violation'],
  transferred: ['Chuyển cơ quan khác', 'Transferred'],
  unresolved: ['Chưa làm rõ', 'Unresolved'],
  'camera.status': ['Trạng thái camera', 'Camera status'],
  motion: ['Chuyển động', 'Motion'],
  tamper: ['Che, phá camera', 'Tamper'],
  plate: ['Biển số xe', 'Licence plate'],
  face: ['Khuôn mặt', 'Face'],
  'recording.gap': ['Gián đoạn ghi hình', 'Recording gap'],
  'incident.created': ['Vụ việc mới', 'Incident opened'],
  'incident.updated': ['Cập nhật vụ việc', 'Incident updated'],
  'evidence.exported': ['Trích xuất chứng cứ', 'Evidence exported'],
  'storage.low': ['Sắp hết dung lượng', 'Storage low'],
  'hold.created': ['Khoá bản ghi', 'Hold created'],
  'hold.released': ['Mở khoá bản ghi', 'Hold released'],
  'storage.purged': ['Xoá bản ghi cũ', 'Old recordings purged'],
  'picture.quality': ['Chất lượng hình ảnh', 'Picture quality'],
  history: ['Lịch sử', 'History'],
  admin: ['Quản trị', 'Admin'],
  users: ['Người dùng', 'Users'],
  role: ['Vai trò', 'Role'],
  ownerRef: ['Chủ sở hữu (cho tài khoản xem)', 'Owner (for viewers)'],
  audit: ['Nhật ký truy cập', 'Audit log'],
  verify: ['Kiểm tra chuỗi băm', 'Verify chain'],
  action: ['Hành động', 'Action'],
  caseId: ['Số hồ sơ', 'Case no.'],
  asEvidence: ['Gói chứng cứ có ký số', 'Signed evidence package'],
  reasonRequired: ['Gói chứng cứ cần ghi lý do', 'An evidence package needs a reason'],
  clips: ['Đoạn video', 'Clips'],
  evidencePackages: ['Gói chứng cứ', 'Evidence packages'],
} satisfies Record<string, [string, string]>;

/** A label key. */
export type Key = keyof typeof dict;

let lang: Lang = (localStorage.getItem('ww-lang') as Lang | null) ?? 'vi';

/** The current language. */
export function currentLang(): Lang {
  return lang;
}

/** Switches the language (remembered in localStorage). */
export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem('ww-lang', next);
  document.documentElement.lang = next;
}

/** The label of a known `key` in the current language; an unknown key does not compile. */
export function t(key: Key): string {
  const entry = dict[key];
  return lang === 'vi' ? entry[0] : entry[1];
}

/** Whether a string is a label key. */
export function isKey(text: string): text is Key {
  return Object.hasOwn(dict, text);
}

/**
 * The label of a value the server sends (an event type, a category, an outcome), which may be one the
 * dashboard has no label for yet (a plugin's event, a new category): the translation when known, else the value.
 */
export function label(value: string): string {
  return isKey(value) ? t(value) : value;
}

/** A date-time in the station's local style. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || ms === null) return '—';
  return new Date(ms).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { hour12: false });
}
