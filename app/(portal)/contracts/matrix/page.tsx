import type { Metadata } from "next";
import { ContractMatrix } from "@/components/contracts/ContractMatrix";

export const metadata: Metadata = { title: "Contract matrix" };

export default function ContractMatrixPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Contract matrix</h1>
          <p>Who consumes whom: each consumer&apos;s pacts and events with every provider, their newest verification, and where both run.</p>
        </div>
      </div>
      <ContractMatrix />
    </>
  );
}
