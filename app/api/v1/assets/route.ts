import { getAppContext } from "@/server/app";
import { handleRestRequest } from "@/server/rest/handler";
import { handleAssetUpload } from "@/services/assets/web";

/**
 * /api/v1/assets. This route wins over the REST catch-all, so it serves both: the upload (streamed,
 * services/assets/web.ts) and, through the REST layer, the list and the JSON form of the upload.
 */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = (req: Request) => handleAssetUpload(req, getAppContext());

const rest = (req: Request) => handleRestRequest(req, getAppContext());

export { rest as DELETE, rest as GET, rest as PATCH, rest as PUT };
