import { getAppContext } from "@/server/app";
import { handleAssetDownload } from "@/services/assets/web";

/** GET /api/v1/assets/{id}/content: an asset's bytes (services/assets/web.ts). */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return handleAssetDownload(req, getAppContext(), (await params).id);
}
