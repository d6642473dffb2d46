import { getAppContext } from "@/server/app";
import { handleRestRequest } from "@/server/rest/handler";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleRestRequest(req, getAppContext());

export { handler as DELETE, handler as GET, handler as PATCH, handler as POST, handler as PUT };
