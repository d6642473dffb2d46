import type { Metadata } from "next";
import Link from "next/link";
import { ContractServices } from "@/components/contracts/ContractServices";

export const metadata: Metadata = { title: "Contracts" };

export default function ContractsPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Contracts</h1>
          <p>Each service&apos;s REST API and events, their versions, consumers and deprecations, from the code&apos;s contracts and the broker.</p>
        </div>
        <Link className="button" href="/contracts/matrix">
          Contract matrix
        </Link>
      </div>
      <ContractServices />
    </>
  );
}
