import type pg from "pg";
import { BURN_RULES, type BurnAlert, type BurnRule, evaluateSlos, type SloStatus } from "./slo";

/**
 * The SLO page's read model: every service's SLO status (services/telemetry/slo.ts), the burn-rate alerts
 * firing now across services (pages before tickets, fastest burn first), and the rules they follow.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export type SloService = Omit<SloStatus, "alerts"> & { firing: number };
export type SloOverview = { evaluatedAt: Date; rules: readonly BurnRule[]; services: SloService[]; alerts: BurnAlert[] };

const SEVERITY_ORDER: Record<BurnRule["severity"], number> = { page: 0, ticket: 1 };

/** SLO status of every service with rollups in the longest window, and the alerts firing at `now`. */
export async function sloOverview(db: Queryable, opts: { now?: Date } = {}): Promise<SloOverview> {
  const now = opts.now ?? new Date();
  const statuses = await evaluateSlos(db, { now });
  const alerts = statuses
    .flatMap((s) => s.alerts)
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        b.factor - a.factor ||
        b.long.burnRate - a.long.burnRate ||
        (a.service < b.service ? -1 : a.service > b.service ? 1 : a.sli < b.sli ? -1 : 1),
    );
  return {
    evaluatedAt: now,
    rules: BURN_RULES,
    services: statuses.map(({ alerts: fired, ...s }) => ({ ...s, firing: fired.length })),
    alerts,
  };
}
