import { getAppContext } from "@/server/app";
import { handleDevLogin } from "@/server/auth/dev-login";

export const dynamic = "force-dynamic";

export function POST(req: Request): Promise<Response> {
  return handleDevLogin(req, getAppContext());
}
