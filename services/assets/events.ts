import { z } from "zod";
import { defineEvent } from "@/server/messaging/events";

/** Events the assets service emits. */
export const assetEvents = {
  AssetUploaded: defineEvent(
    "assets",
    "AssetUploaded",
    z.object({
      assetId: z.string().uuid(),
      fileName: z.string().min(1).max(255),
      contentType: z.string().min(1),
      sizeBytes: z.number().int().min(0),
      uploadedBy: z.string().min(1),
    }),
    "An asset was stored; its text can be indexed.",
  ),
};
