import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { engineerProcedure, protectedProcedure } from "@/server/gateway/procedures";
import { correlationIdOf, type TRPCContext } from "@/server/trpc/context";
import { router } from "@/server/trpc/init";
import { checkAssets, getAsset, getAssetText, listAssets, uploadAsset } from "./assets";
import { AssetTooLargeError, InvalidUploadError, UnsupportedAssetTypeError } from "./errors";
import { AssetPage, AssetText, AssetView, CheckAssetsInput, CheckAssetsOutput, ListAssetsInput, UploadAssetInput } from "./schemas";
import { localStorageAt } from "./storage";

const correlation = correlationIdOf;
const storage = (ctx: TRPCContext) => localStorageAt(ctx.app.config.assets.storageDir);

/** Upload refusals as the gateway's error codes (413, 415, 400 over REST). */
function uploadErrors(err: unknown): never {
  if (err instanceof AssetTooLargeError) throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: err.message, cause: err });
  if (err instanceof UnsupportedAssetTypeError) throw new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: err.message, cause: err });
  if (err instanceof InvalidUploadError) throw new TRPCError({ code: "BAD_REQUEST", message: err.message, cause: err });
  throw err;
}

const AssetId = z.object({ id: z.string().uuid() });

async function* once(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * Assets: tRPC procedures, also served as REST under /api/v1. The upload of large files (multipart or
 * raw bytes) and the download of the bytes are route handlers of their own (services/assets/web.ts).
 */
export const assetsRouter = router({
  list: protectedProcedure
    .meta({ rest: { method: "GET", path: "/assets", summary: "List assets, newest first", tags: ["assets"] } })
    .input(ListAssetsInput)
    .output(AssetPage)
    .query(({ ctx, input }) => listAssets(ctx.app.db.assets, input)),

  get: protectedProcedure
    .meta({ rest: { method: "GET", path: "/assets/{id}", summary: "Get an asset's metadata (its bytes: GET /assets/{id}/content)", tags: ["assets"] } })
    .input(AssetId)
    .output(AssetView)
    .query(({ ctx, input }) => getAsset(ctx.app.db.assets, input.id)),

  getText: protectedProcedure
    .meta({ rest: { method: "GET", path: "/assets/{id}/text", summary: "The text of a text-like asset (null for others), capped", tags: ["assets"] } })
    .input(AssetId)
    .output(AssetText)
    .query(({ ctx, input }) => getAssetText(ctx.app.db.assets, storage(ctx), ctx.app.config.assets, input.id)),

  check: protectedProcedure
    .meta({ rest: { method: "POST", path: "/assets/check", summary: "Which of these asset ids exist", tags: ["assets"] } })
    .input(CheckAssetsInput)
    .output(CheckAssetsOutput)
    .query(({ ctx, input }) => checkAssets(ctx.app.db.assets, input.ids)),

  upload: engineerProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/assets",
        summary: "Upload a file",
        description:
          "This JSON form (base64 content) suits small files. The same path also takes multipart/form-data (the first file field) or the raw bytes with their Content-Type and an X-File-Name header, streamed with the size limit enforced while reading: 413 past the limit, 415 for a type not allowed, 400 without a file.",
        tags: ["assets"],
        successStatus: 201,
        examples: { input: { fileName: "runbook.md", contentType: "text/markdown", contentBase64: "IyBSdW5ib29rCg==" } },
      },
    })
    .input(UploadAssetInput)
    .output(AssetView)
    .mutation(({ ctx, input }) => {
      const bytes = Buffer.from(input.contentBase64, "base64");
      return uploadAsset(
        ctx.app.db.assets,
        storage(ctx),
        ctx.app.config.assets,
        { fileName: input.fileName, contentType: input.contentType, source: once(bytes) },
        ctx.principal!.userId,
        correlation(ctx),
      ).catch(uploadErrors);
    }),
});
