/** Local midnight of a `<input type="date">` value (`YYYY-MM-DD`), ms. */
export function dayStart(value: string): number {
  return new Date(`${value}T00:00:00`).getTime();
}

/** Today as a `<input type="date">` value (`YYYY-MM-DD`, local time). */
export function todayInput(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
