/**
 * The CLI's client of the contract broker: Switchyard's REST API under /api/v1/contracts, with a
 * scoped token (`Authorization: Bearer`). URL and token come from flags or SWITCHYARD_URL /
 * SWITCHYARD_TOKEN.
 */
import type { TIo } from "./command";
import { InputError } from "./load";

export type TBroker = { url: string; token: string | undefined };

/** The broker refused the request (HTTP 4xx/5xx): the CLI prints why. */
export class BrokerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The broker's address and token from `--broker`/`--token`, else SWITCHYARD_URL/SWITCHYARD_TOKEN. */
export function brokerFrom(values: { broker?: string; token?: string }, io: TIo): TBroker {
  const url = values.broker ?? io.env?.SWITCHYARD_URL;
  if (!url) throw new InputError("no broker: pass --broker URL or set SWITCHYARD_URL (the portal's address, e.g. http://127.0.0.1:3000)");
  try {
    new URL(url);
  } catch {
    throw new InputError(`--broker ${url}: not a URL`);
  }
  return { url: url.replace(/\/+$/, ""), token: values.token ?? io.env?.SWITCHYARD_TOKEN };
}

/** One call to the broker's REST API; the parsed JSON answer, or BrokerError. Unreachable: InputError (exit 2). */
export async function callBroker<T>(broker: TBroker, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (broker.token) headers.authorization = `Bearer ${broker.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(`${broker.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new InputError(`cannot reach the broker at ${broker.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new BrokerError(res.status, `the broker answered HTTP ${res.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const err = (json as { error?: { message?: string; issues?: { path: string; message: string }[] } } | null)?.error;
    const issues = err?.issues?.map((i) => `${i.path}: ${i.message}`).join("; ");
    throw new BrokerError(res.status, `the broker refused (HTTP ${res.status}): ${err?.message ?? text.slice(0, 200)}${issues ? ` (${issues})` : ""}`);
  }
  return json as T;
}

/** Query string from defined values. */
export function query(values: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) q.set(k, v);
  return q.toString();
}
