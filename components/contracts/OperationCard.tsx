import { TryRequest } from "@/components/telemetry/TryRequest";
import type { TOperationView } from "@/services/contracts/browser-openapi";
import styles from "./contracts.module.css";
import { SchemaTable } from "./SchemaTable";

function Example({ value, source }: { value: unknown; source: "document" | "generated" | null }) {
  return (
    <div>
      <div className={styles.exampleHead}>
        <h3>Example</h3>
        <span className="muted small">{source === "generated" ? "made from the schema" : "from the document"}</span>
      </div>
      <pre className={styles.code}>{JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}

/**
 * One REST operation: summary line, then parameters, request body, responses and examples; for the
 * version this portal runs (`tryable`), a "Try it" form that sends a real, traced request.
 */
export function OperationCard({ op, open, tryable = false }: { op: TOperationView; open?: boolean; tryable?: boolean }) {
  const success = op.responses.filter((r) => /^[23]/.test(r.status));
  const errors = op.responses.filter((r) => !/^[23]/.test(r.status));
  return (
    <details className={`${styles.op} ${op.deprecated ? styles.opDeprecated : ""}`} open={open} data-operation={op.key}>
      <summary>
        <span className={`${styles.method} ${styles[op.method] ?? ""}`}>{op.method}</span>
        <span className={styles.opPath}>{op.path}</span>
        <span className={styles.opSummary}>{op.summary}</span>
        {op.deprecated && <span className="badge badge-deprecated">deprecated{op.sunset ? ` · sunset ${op.sunset}` : ""}</span>}
      </summary>
      <div className={styles.opBody}>
        {op.deprecated && (
          <div className={styles.sunsetNote}>
            Deprecated{op.deprecatedSince ? ` since ${op.deprecatedSince}` : ""}
            {op.sunset ? `; removed after ${op.sunset}` : ""}.{op.replacement ? ` Use ${op.replacement} instead.` : ""}
          </div>
        )}
        {op.description && <p className="small" style={{ margin: 0 }}>{op.description}</p>}
        {op.parameters.length > 0 && (
          <div>
            <h3>Parameters</h3>
            <table className={styles.inner}>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>In</th>
                  <th>Type</th>
                  <th>Description</th>
                </tr>
              </thead>
              <tbody>
                {op.parameters.map((p) => (
                  <tr key={`${p.in}:${p.name}`}>
                    <td className={styles.propName}>
                      {p.name}
                      {p.required && <span className={styles.req}>*</span>}
                      {p.deprecated && <span className="badge badge-deprecated"> deprecated</span>}
                    </td>
                    <td className="small">{p.in}</td>
                    <td className={styles.typeCell}>{p.type}</td>
                    <td className="small">{p.description ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {op.requestBody && (
          <div className={styles.opGrid}>
            <div>
              <h3>
                Request body <span className="muted small">{op.requestBody.contentType}{op.requestBody.required ? ", required" : ", optional"}</span>
              </h3>
              <SchemaTable schema={op.requestBody.schema} />
            </div>
            <Example value={op.requestBody.example} source={op.requestBody.exampleSource} />
          </div>
        )}
        <div className={styles.responses}>
          {success.map((r) => (
            <div key={r.status} className={styles.response}>
              <h3>
                <span className={`${styles.status} ${styles.s2}`}>{r.status}</span>
                <span className="muted small">{r.contentType ?? "no body"}</span>
              </h3>
              {r.schema !== null ? (
                <div className={styles.opGrid}>
                  <SchemaTable schema={r.schema} />
                  <Example value={r.example} source={r.exampleSource} />
                </div>
              ) : (
                <span className="small">{r.description}</span>
              )}
            </div>
          ))}
          {errors.length > 0 && (
            <div className={styles.errorCodes}>
              Errors ({`{ "error": { "code", "message", "requestId" } }`}):{" "}
              {errors.map((r) => (
                <span key={r.status} title={r.description}>
                  <span className={`${styles.status} ${styles.s4}`}>{r.status}</span>
                </span>
              ))}
            </div>
          )}
        </div>
        {tryable && (
          <div>
            <h3>Try it</h3>
            <TryRequest
              method={op.method}
              path={op.path}
              queryParams={op.parameters.filter((p) => p.in === "query").map((p) => p.name)}
              exampleBody={op.requestBody?.example}
            />
          </div>
        )}
      </div>
    </details>
  );
}
