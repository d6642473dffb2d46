import { typeLabel } from "@/services/contracts/browser-openapi";
import styles from "./contracts.module.css";

type Json = Record<string, unknown>;
type Row = { name: string; depth: number; type: string; required: boolean; deprecated: boolean; description: string | null; constraints: string[]; sunset: string | null };

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function constraintsOf(s: Json): string[] {
  const c: string[] = [];
  const range = (what: string, min: unknown, max: unknown) => {
    const lo = typeof min === "number" ? min : undefined;
    const hi = typeof max === "number" ? max : undefined;
    if (lo !== undefined && hi !== undefined) c.push(`${what} ${lo}..${hi}`);
    else if (lo !== undefined) c.push(`${what} ≥ ${lo}`);
    else if (hi !== undefined) c.push(`${what} ≤ ${hi}`);
  };
  range("length", s.minLength, s.maxLength);
  range("items", s.minItems, s.maxItems);
  // A format (uuid, date-time) says what its generated pattern spells out.
  if (typeof s.pattern === "string" && !s.format) c.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) c.push(`default ${JSON.stringify(s.default)}`);
  if (s.additionalProperties === false) c.push("no other properties");
  return c;
}

/** An object's (or an array's items') properties as rows, nested properties indented. */
function rowsOf(schema: unknown, depth: number, prefix: string, out: Row[]): void {
  if (!isObj(schema) || depth > 5) return;
  const target = schema.type === "array" || (Array.isArray(schema.type) && schema.type.includes("array")) ? schema.items : schema;
  const suffix = target === schema ? "" : "[]";
  if (!isObj(target)) return;
  const variants = [target, ...(["allOf", "anyOf", "oneOf"] as const).flatMap((k) => (Array.isArray(target[k]) ? (target[k] as unknown[]) : []))];
  for (const v of variants) {
    if (!isObj(v) || !isObj(v.properties)) continue;
    const required = new Set(Array.isArray(v.required) ? (v.required as string[]) : []);
    for (const [name, prop] of Object.entries(v.properties)) {
      const p = isObj(prop) ? prop : {};
      out.push({
        name: `${prefix}${suffix ? `${suffix}.` : ""}${name}`,
        depth,
        type: typeLabel(p),
        required: required.has(name),
        deprecated: p.deprecated === true,
        description: typeof p.description === "string" ? p.description : null,
        constraints: constraintsOf(p),
        sunset: typeof p["x-sunset"] === "string" ? p["x-sunset"] : null,
      });
      if (depth < 3) rowsOf(p, depth + 1, "", out);
    }
  }
}

/** A JSON Schema (refs already inlined) as a readable table of its properties. */
export function SchemaTable({ schema, testId }: { schema: unknown; testId?: string }) {
  const rows: Row[] = [];
  rowsOf(schema, 0, "", rows);
  if (rows.length === 0) {
    return (
      <p className="small">
        <span className={styles.typeCell}>{typeLabel(schema)}</span>
      </p>
    );
  }
  return (
    <table className={`${styles.inner} ${styles.fixed}`} data-testid={testId}>
      <colgroup>
        <col style={{ width: "32%" }} />
        <col style={{ width: "26%" }} />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th>Property</th>
          <th>Type</th>
          <th>Notes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <td className={styles.propName} style={{ paddingLeft: 8 + r.depth * 16 }}>
              {r.depth > 0 && <span className="muted">└ </span>}
              {r.name}
              {r.required && (
                <span className={styles.req} title="required">
                  *
                </span>
              )}
            </td>
            <td className={styles.typeCell}>{r.type}</td>
            <td>
              {r.deprecated && <span className="badge badge-deprecated">deprecated{r.sunset ? ` · sunset ${r.sunset}` : ""}</span>} {r.description && <span className="small">{r.description}</span>}
              {r.constraints.length > 0 && <span className={`${styles.constraint} ${styles.wrap}`}> {r.constraints.join(" · ")}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
