const LIFECYCLE_CLASS: Record<string, string> = {
  production: "badge-production",
  beta: "badge-beta",
  experimental: "badge-experimental",
  deprecated: "badge-deprecated",
};

/** A service or API lifecycle: production, beta, experimental, deprecated. */
export function LifecycleBadge({ lifecycle }: { lifecycle: string | null }) {
  if (!lifecycle) return <span className="muted">—</span>;
  return <span className={`badge ${LIFECYCLE_CLASS[lifecycle] ?? "badge-neutral"}`}>{lifecycle}</span>;
}

/** A team, as an owner. */
export function OwnerChip({ name }: { name: string | null }) {
  if (!name) return <span className="muted">unowned</span>;
  return <span className="chip">{name}</span>;
}
