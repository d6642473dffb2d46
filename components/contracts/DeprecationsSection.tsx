import type { TDeprecation } from "@/services/contracts/browser-openapi";

function daysUntil(date: string): number | null {
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : Math.ceil((t - Date.now()) / 86_400_000);
}

/** What the service's contracts deprecate, with since, sunset and replacement. */
export function DeprecationsSection({ deprecations }: { deprecations: TDeprecation[] }) {
  if (deprecations.length === 0) return <div className="panel state">Nothing is deprecated in the code&apos;s contracts or the newest published ones.</div>;
  return (
    <div className="panel">
      <table className="data" data-testid="deprecations">
        <thead>
          <tr>
            <th>What</th>
            <th>Kind</th>
            <th>Since</th>
            <th>Sunset</th>
            <th>Instead</th>
            <th>Declared in</th>
          </tr>
        </thead>
        <tbody>
          {deprecations.map((d) => {
            const days = d.sunset ? daysUntil(d.sunset) : null;
            return (
              <tr key={`${d.kind} ${d.subject}`}>
                <td>
                  <span className="mono">{d.subject}</span>
                  {d.description && <div className="small muted">{d.description}</div>}
                </td>
                <td>{d.kind.replace("-", " ")}</td>
                <td>{d.since ?? <span className="muted">—</span>}</td>
                <td>
                  {d.sunset ? (
                    <>
                      <span className="badge badge-deprecated">{d.sunset}</span>
                      {days !== null && <div className="small muted">{days >= 0 ? `in ${days} days` : `${-days} days ago`}</div>}
                    </>
                  ) : (
                    <span className="muted">no date</span>
                  )}
                </td>
                <td className="mono small">{d.replacement ?? "—"}</td>
                <td className="small">{d.version}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
