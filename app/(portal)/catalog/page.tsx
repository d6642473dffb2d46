import type { Metadata } from "next";
import { ServiceTable } from "@/components/catalog/ServiceTable";

export const metadata: Metadata = { title: "Service catalog" };

export default function CatalogPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Service catalog</h1>
          <p>Every Templator service, who owns it, what it provides and what it needs.</p>
        </div>
      </div>
      <ServiceTable />
    </>
  );
}
