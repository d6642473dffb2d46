import type { Metadata } from "next";
import { SagaList } from "@/components/sagas/SagaList";

export const metadata: Metadata = { title: "Sagas" };

export default function SagasPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Sagas</h1>
          <p>Multi-service workflows: each run, where it stands, and what was undone when a step failed.</p>
        </div>
      </div>
      <SagaList />
    </>
  );
}
