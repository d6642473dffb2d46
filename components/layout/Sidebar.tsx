import { getConfig } from "@/server/config";
import { NavLink } from "./NavLink";

/** The portal's navigation. Pages are added here as they are built. */
export function Sidebar() {
  const { version } = getConfig();
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden>
          ⇄
        </span>
        Switchyard
      </div>
      <nav className="nav" aria-label="Main">
        <div className="nav-section">Catalog</div>
        <NavLink href="/catalog">Services</NavLink>
        <NavLink href="/contracts" except={["/contracts/matrix"]}>
          Contracts
        </NavLink>
        <NavLink href="/contracts/matrix">Contract matrix</NavLink>
        <div className="nav-section">Observe</div>
        <NavLink href="/traces">Traces</NavLink>
        <NavLink href="/service-map">Service map</NavLink>
        <NavLink href="/red">RED metrics</NavLink>
        <NavLink href="/slos">SLOs &amp; alerts</NavLink>
        <div className="nav-section">On call</div>
        <NavLink href="/messaging">Messaging</NavLink>
        <NavLink href="/sagas">Sagas</NavLink>
        <NavLink href="/events">Events</NavLink>
      </nav>
      <div className="sidebar-foot">v{version}</div>
    </aside>
  );
}
