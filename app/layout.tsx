import { ClerkProvider } from "@clerk/nextjs";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/components/trpc/client";
import { getConfig } from "@/server/config";
import "./globals.css";

// Rendered per request: configuration (e.g. whether Clerk is on) is read at run time, not baked into the build.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Switchyard", template: "%s · Switchyard" },
  description: "Observability-first internal developer portal for the Templator services",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const clerk = getConfig().clerk;
  const body = (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
  // Clerk only when configured: without keys its components fail every request.
  return clerk ? <ClerkProvider publishableKey={clerk.publishableKey}>{body}</ClerkProvider> : body;
}
