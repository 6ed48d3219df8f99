/** Index of the first element of `items` (sorted by `key`) whose key is not less than `target`. */
export function lowerBound<T, K extends number | string>(items: readonly T[], target: K, key: (item: T) => K): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid] as T) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of `items` (sorted by `key`) whose key is greater than `target`. */
export function upperBound<T, K extends number | string>(items: readonly T[], target: K, key: (item: T) => K): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid] as T) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
