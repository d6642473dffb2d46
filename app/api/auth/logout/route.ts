import { handleLogout } from "@/server/auth/dev-login";

export const dynamic = "force-dynamic";

export function POST(req: Request): Response {
  return handleLogout(req);
}
