import { createHash } from "node:crypto";

/**
 * Masks what varies between occurrences of the same failure (ids, numbers, quoted values) so that
 * dead letters with one cause share a fingerprint.
 */
export function normalizeErrorMessage(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, "<value>")
    .replace(/\b[0-9a-f]{16,}\b/gi, "<id>")
    .replace(/\b\d+(\.\d+)?\b/g, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 500);
}

/** The fingerprint of a consumer's failure: consumer, error type and normalised message. */
export function errorFingerprint(consumer: string, errorType: string, message: string): string {
  return createHash("sha256").update(`${consumer}\n${errorType}\n${normalizeErrorMessage(message)}`).digest("hex").slice(0, 16);
}
