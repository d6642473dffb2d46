"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/messaging", label: "Dead letters", match: (p: string) => p === "/messaging" || p.startsWith("/messaging/dead-letters") },
  { href: "/messaging/outbox", label: "Outbox & event store", match: (p: string) => p.startsWith("/messaging/outbox") },
];

/** Switches between the messaging console's two pages. */
export function MessagingTabs() {
  const pathname = usePathname();
  return (
    <nav className="msg-tabs" aria-label="Messaging">
      {TABS.map((t) => {
        const active = t.match(pathname);
        return (
          <Link key={t.href} href={t.href} className={active ? "active" : undefined} aria-current={active ? "page" : undefined}>
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
