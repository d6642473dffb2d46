/** "3 min ago", "2 h ago", "just now" — for freshness hints. */
export function timeAgo(date: Date | string, now = Date.now()): string {
  const s = Math.round((now - new Date(date).getTime()) / 1000);
  if (s < 10) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}
