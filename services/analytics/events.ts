import { z } from "zod";
import { defineEvent } from "@/server/messaging/events";

/** Events the analytics service emits. */
export const analyticsEvents = {
  UsageReportReady: defineEvent(
    "analytics",
    "UsageReportReady",
    z.object({
      reportId: z.string().uuid(),
      from: z.string().datetime({ offset: true }),
      to: z.string().datetime({ offset: true }),
      rows: z.number().int().min(0),
    }),
    "A usage report was computed and can be downloaded.",
  ),
};
