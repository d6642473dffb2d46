import { getAppContext } from "@/server/app";
import { handleReportCsvRequest } from "@/services/analytics/reports/download";

export const dynamic = "force-dynamic";

/** A ready usage report as a CSV attachment (this route wins over the /api/v1 catch-all). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleReportCsvRequest(req, getAppContext(), id);
}
