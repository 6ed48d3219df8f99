/**
 * The rules of Vietnamese civil plates the parser applies, one group per entry, each citing where it comes from:
 * Circular 24/2023/TT-BCA (in force 15 August 2023; Art. 37 "Biển số xe" — colours, series, layout, sizes — and
 * Appendix 02, the province codes) and Circular 58/2020/TT-BCA, which it replaced (its plates stay valid; the
 * letter + digit motorbike series and the electric-motorbike `MĐ` series were issued under it). Military plates are
 * issued by the Ministry of National Defence, not under these circulars; their unit codes are listed separately.
 */

/** One group of rules, with its source. */
export interface PlateRuleGroup {
  /** Where the rule is written. */
  source: string;
  /** What it says, in short. */
  rule: string;
}

/**
 * The 20 series letters: "A, B, C, D, E, F, G, H, K, L, M, N, P, S, T, U, V, X, Y, Z" — no I, J, O, Q, R, W
 * (I/J/O/Q read as digits; R is the trailer series). Circular 24/2023/TT-BCA Art. 37 cl. 3 (blue, state),
 * cl. 4 (white, domestic organisations and individuals) and cl. 5 (yellow, transport business).
 */
export const SERIES_LETTERS = 'ABCDEFGHKLMNPSTUVXYZ';

/** Digits of the letter + digit motorbike series (`B1`…`Z9`): 1 to 9, never 0. Circular 58/2020/TT-BCA Art. 25, kept by 24/2023 Art. 37. */
export const BIKE_SERIES_DIGITS = '123456789';

/**
 * Two-letter series with a special meaning on car plates (and on square car/trailer plates), Circular 24/2023/TT-BCA
 * Art. 37 cl. 4–8 and Circular 58/2020/TT-BCA Art. 25: `LD` foreign-invested enterprises and joint ventures,
 * `DA` foreign-funded project management boards, `KT` enterprises of the army (an economic unit's plate, white),
 * `MK` tractors, `TĐ` vehicles assembled in Vietnam under a pilot programme, `HC` cars restricted in where they may go.
 */
export const CAR_SPECIAL_SERIES: Readonly<Record<string, string>> = Object.freeze({
  LD: 'joint-venture',
  DA: 'project',
  KT: 'military-enterprise',
  MK: 'tractor',
  TĐ: 'pilot-programme',
  HC: 'restricted-use',
});

/** The trailer and semi-trailer series (rơ moóc, sơ mi rơ moóc): `51R-123.45`, on a 330×165 mm plate. Circular 24/2023/TT-BCA Art. 37 cl. 2 and 4. */
export const TRAILER_SERIES = 'R';

/** The electric-motorbike series (xe máy điện), followed by a digit 1–9: `29-MĐ1 123.45`. Circular 58/2020/TT-BCA Art. 25, kept by 24/2023 Art. 37. */
export const ELECTRIC_BIKE_SERIES = 'MĐ';

/**
 * Foreign-mission series, white plates laid out `80-011-NG-01` (registration code, three-digit country or
 * organisation code, series, order number of two or three digits): `NG` diplomatic missions, `QT` international
 * organisations, `CV` their technical and administrative staff, `NN` other foreign organisations and individuals.
 * Circular 24/2023/TT-BCA Art. 37 cl. 7–8 (Circular 58/2020/TT-BCA Art. 25 cl. 3 before it).
 */
export const MISSION_SERIES: Readonly<Record<string, 'diplomatic' | 'international-org' | 'foreign'>> = Object.freeze({
  NG: 'diplomatic',
  QT: 'international-org',
  CV: 'foreign',
  NN: 'foreign',
});

/** The temporary-registration mark: a paper plate `T` + code + number (`T30-123.45`). Circular 24/2023/TT-BCA Art. 37 cl. 1 (temporary plates are printed on paper). */
export const TEMPORARY_MARK = 'T';

/**
 * Military plates (red, two letters of the unit then four digits, `TM-12-34`, `QA-55-01`), issued by the Ministry
 * of National Defence — outside the BCA circulars; the unit letters follow the army's arms: A… corps, B… commands,
 * H… academies, K… military regions, P… general departments' units, Q… services (`QA` air defence – air force,
 * `QB` border guard, `QH` navy), T… general departments, `VT` Viettel.
 */
export const MILITARY_SERIES: ReadonlySet<string> = new Set([
  'AA', 'AB', 'AC', 'AD', 'AN', 'AP', 'AT', 'AV', 'BB', 'BC', 'BH', 'BK', 'BL', 'BP', 'BS', 'BT', 'BV',
  'HA', 'HB', 'HC', 'HD', 'HE', 'HH', 'HN', 'HQ', 'HT', 'KA', 'KB', 'KC', 'KD', 'KK', 'KN', 'KP', 'KT',
  'KV', 'PA', 'PC', 'PK', 'PM', 'PP', 'PQ', 'PT', 'PX', 'PY', 'QA', 'QB', 'QH', 'TC', 'TH', 'TK', 'TM',
  'TN', 'TT', 'VT',
]);

/**
 * The registration number: five digits `000.01`–`999.99` printed with a dot after the third (Circular 24/2023/TT-BCA
 * Art. 37 cl. 4: "thứ tự đăng ký gồm 05 chữ số tự nhiên, từ 000.01 đến 999.99"); plates issued before 2010 carry
 * four digits without a dot (`30A-1234`, `29-B1 1234`) and stay valid (Art. 37 and the transitional Art. 43).
 */
export const NUMBER_RULE = { current: 5, legacy: 4, dotAfter: 3 } as const;

/** The layouts (Art. 37 cl. 2 and 4): where the rows and separators are. */
export const LAYOUT_RULES: readonly PlateRuleGroup[] = [
  { source: '24/2023/TT-BCA Art. 37 cl. 2(a), 4', rule: 'car, long plate 520×110 mm, one row: code + series, dash, number (`30A-123.45`)' },
  { source: '24/2023/TT-BCA Art. 37 cl. 2(a)(b), 4', rule: 'car short plate and trailer 330×165 mm, two rows: code + series over the number (`30A` / `123.45`) — a car' },
  { source: '24/2023/TT-BCA Art. 37 cl. 2(c), 4', rule: 'motorbike 190×140 mm, two rows: code, dash, series over the number (`29-B1` / `123.45`)' },
  { source: '24/2023/TT-BCA Art. 37 cl. 4', rule: 'motorbike series of two letters from the 20 since 15 August 2023 (`29-HA 002.33`)' },
  { source: '58/2020/TT-BCA Art. 25; 24/2023/TT-BCA Art. 37', rule: 'a break right after a letter + digit series is the motorbike row break (`29L5 9999` is a motorbike)' },
];
