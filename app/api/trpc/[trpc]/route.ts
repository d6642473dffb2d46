import { getAppContext } from "@/server/app";
import { handleTrpcRequest } from "@/server/gateway/http";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleTrpcRequest(req, getAppContext());

export { handler as GET, handler as POST };
