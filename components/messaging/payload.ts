/** The JSON text of a payload, as the editor shows it. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value ?? {}, null, 2);
}

/** Parses an edited payload: a JSON object, or the reason it is not one. */
export function parsePayload(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `Invalid JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: "The payload must be a JSON object ({ … }), not " + (Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`) + "." };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** True when two JSON values are equal whatever the order of their keys (PostgreSQL's jsonb reorders them). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
