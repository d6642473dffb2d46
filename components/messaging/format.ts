/** Formatting shared by the messaging console. */

const pad = (n: number) => String(n).padStart(2, "0");

/** A local date and time to the second, "2025-03-04 14:05:09". */
export function formatTime(date: Date | string | null | undefined): string {
  if (!date) return "—";
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) return "—";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "templator.events.v1.assets.AssetUploaded" -> "assets.AssetUploaded". */
export function shortEventType(eventType: string): string {
  const m = /^templator\.events\.v\d+\.(.+)$/.exec(eventType);
  return m?.[1] ?? eventType;
}

/** How long ago, without "ago": "42 s", "3 min", "2 h", "4 d". */
export function age(date: Date | string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(date).getTime()) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

type ErrorLike = { message: string; data?: { zodError?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | null } | null };

/** A refusal as the server phrased it: zod's field messages for invalid input, else the error message. */
export function errorText(err: ErrorLike | null | undefined): string {
  if (!err) return "";
  const z = err.data?.zodError;
  if (z) {
    const fields = Object.entries(z.fieldErrors ?? {}).flatMap(([field, msgs]) => (msgs ?? []).map((m) => `${field}: ${m}`));
    const all = [...(z.formErrors ?? []), ...fields];
    if (all.length > 0) return all.join("; ");
  }
  return err.message;
}

/** A datetime-local input's value for an ISO time (local time, to the minute). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The ISO time for a datetime-local input's value (undefined when empty or invalid). */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** An error message with event types shortened as everywhere else on the page (the full text goes in a tooltip). */
export function shortError(message: string): string {
  return message.replace(/templator\.events\.v\d+\./g, "");
}
