import type { ReactNode } from "react";
import { Sidebar } from "@/components/layout/Sidebar";
import { UserMenu } from "@/components/layout/UserMenu";

export default function PortalLayout({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <Sidebar />
      <div className="main">
        <header className="topbar">
          <div className="crumbs">Templator system</div>
          <UserMenu />
        </header>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
