"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { tracedFetch } from "./browser-tracing";
import styles from "./TryRequest.module.css";

type Props = {
  method: string;
  /** The operation's path under /api/v1, with `{param}` placeholders. */
  path: string;
  /** Query parameter names the operation accepts. */
  queryParams?: string[];
  /** A JSON example for the request body (operations with a body). */
  exampleBody?: unknown;
};

const placeholders = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

type Result = { status: number; statusText: string; body: string; ms: number; traceId?: string | undefined } | { error: string; traceId?: string | undefined };

/**
 * "Try it": sends one real request to the operation through the public REST gateway (/api/v1), signed
 * in as the viewer, as a traced browser request — the answer comes with a link to the trace it started
 * (gateway, procedure, outbox, consumers). Mutations carry a fresh Idempotency-Key.
 */
export function TryRequest({ method, path, queryParams = [], exampleBody }: Props) {
  const params = useMemo(() => placeholders(path), [path]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [query, setQuery] = useState<Record<string, string>>({});
  const [body, setBody] = useState(exampleBody === undefined ? "" : JSON.stringify(exampleBody, null, 2));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | undefined>();
  const upper = method.toUpperCase();
  const hasBody = !["GET", "HEAD", "DELETE"].includes(upper);

  const send = async () => {
    const missing = params.filter((p) => !values[p]?.trim());
    if (missing.length > 0) {
      setResult({ error: `fill in ${missing.map((m) => `{${m}}`).join(", ")} first` });
      return;
    }
    if (hasBody && body.trim()) {
      try {
        JSON.parse(body);
      } catch (err) {
        setResult({ error: `the body is not valid JSON: ${(err as Error).message}` });
        return;
      }
    }
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v.trim() !== ""));
    const url = `/api/v1${path.replace(/\{([^}]+)\}/g, (_, p: string) => encodeURIComponent(values[p]!.trim()))}${qs.size ? `?${qs}` : ""}`;
    setBusy(true);
    const started = performance.now();
    try {
      const res = await tracedFetch(url, {
        method: upper,
        headers: { ...(hasBody ? { "content-type": "application/json", "idempotency-key": newKey() } : {}), accept: "application/json" },
        ...(hasBody && body.trim() ? { body } : {}),
      });
      const text = await res.text();
      let pretty = text;
      try {
        pretty = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // not JSON: shown as it came
      }
      setResult({ status: res.status, statusText: res.statusText, body: pretty, ms: performance.now() - started, traceId: res.traceId });
    } catch (err) {
      setResult({ error: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.try} data-testid="try-request">
      <div className={styles.line}>
        <code className={styles.method}>{upper}</code>
        <code>/api/v1{path}</code>
      </div>
      {params.length > 0 && (
        <div className={styles.fields}>
          {params.map((p) => (
            <label key={p}>
              {p}
              <input aria-label={`path parameter ${p}`} value={values[p] ?? ""} onChange={(e) => setValues({ ...values, [p]: e.target.value })} />
            </label>
          ))}
        </div>
      )}
      {queryParams.length > 0 && (
        <div className={styles.fields}>
          {queryParams.map((p) => (
            <label key={p}>
              {p}
              <input aria-label={`query parameter ${p}`} value={query[p] ?? ""} onChange={(e) => setQuery({ ...query, [p]: e.target.value })} />
            </label>
          ))}
        </div>
      )}
      {hasBody && (
        <textarea aria-label="request body" className={styles.body} value={body} spellCheck={false} rows={Math.min(14, Math.max(4, body.split("\n").length))} onChange={(e) => setBody(e.target.value)} />
      )}
      <div className={styles.line}>
        <button type="button" className="primary" onClick={() => void send()} disabled={busy}>
          {busy ? "Sending…" : "Send request"}
        </button>
        {result && "status" in result && (
          <span data-testid="try-status" className={result.status < 400 ? styles.ok : styles.bad}>
            {result.status} {result.statusText} · {result.ms.toFixed(0)} ms
          </span>
        )}
        {result?.traceId && (
          <Link data-testid="try-trace" href={`/traces/${result.traceId}`}>
            View trace {result.traceId.slice(0, 8)}…
          </Link>
        )}
      </div>
      {result && "error" in result && <p className={styles.bad}>{result.error}</p>}
      {result && "body" in result && result.body && <pre className={styles.response} data-testid="try-response">{result.body}</pre>}
    </div>
  );
}
