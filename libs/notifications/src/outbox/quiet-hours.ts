/** SMS waits out the night: 22:00–07:00 Beijing time (UTC+8, no daylight saving). */
export function inQuietHours(now: Date): boolean {
  const hour = (now.getUTCHours() + 8) % 24;
  return hour >= 22 || hour < 7;
}
