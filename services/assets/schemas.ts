import { z } from "zod";
import { REST_PREFIX } from "@/server/rest/meta";

/** The shapes the assets service reads and returns — shared by tRPC, REST and its OpenAPI document. */

export const AssetView = z
  .object({
    id: z.string().uuid(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string().describe("Hex sha256 of the bytes"),
    uploadedBy: z.string(),
    createdAt: z.date(),
    contentUrl: z.string().describe("Where the bytes are downloaded (GET)"),
  })
  .meta({ id: "Asset" });
export type AssetView = z.output<typeof AssetView>;

export const AssetPage = z.object({ items: z.array(AssetView), nextCursor: z.string().nullable() }).meta({ id: "AssetPage" });

export const ListAssetsInput = z.object({
  q: z.string().max(200).optional().describe("Words in the file name"),
  contentType: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  cursor: z.string().uuid().optional().describe("nextCursor of the previous page"),
});

export const AssetText = z
  .object({
    assetId: z.string().uuid(),
    fileName: z.string(),
    contentType: z.string(),
    text: z.string().nullable().describe("The text of a text-like asset (text/*, JSON), null for others"),
    truncated: z.boolean().describe("True when the text was cut at the service's limit"),
  })
  .meta({ id: "AssetText" });

export const CheckAssetsInput = z.object({ ids: z.array(z.string().uuid()).max(200) });
export const CheckAssetsOutput = z
  .object({ found: z.array(z.string().uuid()), missing: z.array(z.string().uuid()) })
  .meta({ id: "AssetCheck", description: "Which of the asked ids exist, in the order asked (each once)" });

export const UploadAssetInput = z.object({
  fileName: z.string().min(1).max(255),
  contentType: z.string().min(1).max(100),
  contentBase64: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, "base64 (standard alphabet, no line breaks)")
    .describe("The file's bytes, base64 — for small files; larger ones are sent as multipart/form-data or a raw body"),
});

/** Where an asset's bytes are served. */
export const contentUrl = (id: string) => `${REST_PREFIX}/assets/${id}/content`;
