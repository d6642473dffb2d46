"use client";

import { SignIn } from "@clerk/nextjs";

/** Clerk's hosted sign-in form (only rendered when Clerk is configured). */
export function ClerkSignIn() {
  return <SignIn routing="hash" forceRedirectUrl="/catalog" />;
}
