import { z } from "zod";
import { defineEvent } from "@/server/messaging/events";

/** Events the analytics service emits. */
export const analyticsEvents = {
  UsageReportReady: defineEvent(
    "analytics",
    "UsageReportReady",
    z.object({
      reportId: z.string().uuid(),
      from: z.string().datetime({ offset: true }).describe("Start of the range"),
      to: z.string().datetime({ offset: true }).describe("End of the range (exclusive: the start of the day after the last one)"),
      rows: z.number().int().min(0),
      trigger: z.enum(["manual", "schedule"]).optional().describe("Requested by someone, or the daily schedule"),
    }),
    "A usage report was computed and can be downloaded.",
  ),
};
