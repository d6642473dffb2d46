"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

const under = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);

/** A sidebar link, highlighted while the current page is under it (and not under one of `except`, which have links of their own). */
export function NavLink({ href, except = [], children }: { href: string; except?: string[]; children: ReactNode }) {
  const pathname = usePathname();
  const active = under(pathname, href) && !except.some((e) => under(pathname, e));
  return (
    <Link href={href} className={active ? "active" : undefined} aria-current={active ? "page" : undefined}>
      {children}
    </Link>
  );
}
