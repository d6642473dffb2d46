import type { Metadata } from "next";
import { ClerkSignIn } from "@/components/layout/ClerkSignIn";
import { DevLogin } from "@/components/layout/DevLogin";
import { getConfig } from "@/server/config";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ next?: string }> };

export default async function LoginPage({ searchParams }: Props) {
  const { next } = await searchParams;
  const { clerk, devLoginEnabled } = getConfig();
  return (
    <div className="login-wrap">
      <div className="login-card">
        <div className="brand" style={{ color: "var(--ink)", padding: 0, marginBottom: 18 }}>
          <span className="brand-mark" aria-hidden style={{ color: "#fff" }}>
            ⇄
          </span>
          Switchyard
        </div>
        <h1>Sign in</h1>
        {clerk && <ClerkSignIn />}
        {devLoginEnabled && <DevLogin next={next} />}
        {!clerk && !devLoginEnabled && (
          <p className="state error">
            No sign-in method is configured. Set the Clerk keys (CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY, CLERK_JWT_KEY),
            or DEV_LOGIN=true for a local development login.
          </p>
        )}
      </div>
    </div>
  );
}
