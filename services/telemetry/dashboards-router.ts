import { router } from "@/server/trpc/init";

/** Read procedures for the service map, RED dashboards and SLO/alert pages. */
export const dashboardsRouter = router({});
