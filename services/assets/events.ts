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
      sha256: z.string().regex(/^[0-9a-f]{64}$/).optional().describe("Hex sha256 of the bytes (added later: optional)"),
    }),
    "An asset was stored; its text can be indexed.",
  ),
};
