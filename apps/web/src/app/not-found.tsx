import type { Metadata } from "next";
import Link from "next/link";
import { Logo } from "@/components/logo";

export const metadata: Metadata = { title: "Page not found" };

/**
 * Any address the app does not know, in the same frame as the sign-in pages. A server
 * component with only a link: Next.js sends this file along with every page.
 */
export default function NotFound() {
  return (
    <main className="flex min-h-full items-center justify-center bg-gradient-to-b from-accent-50 to-canvas px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo className="size-12" />
          <h1 className="text-2xl font-semibold tracking-tight">Parley</h1>
        </div>
        <div className="card flex flex-col items-center gap-4 p-6 text-center shadow-sm">
          <h2 className="text-lg font-semibold" data-testid="not-found-title">
            Page not found
          </h2>
          <p className="text-sm text-muted">
            There is nothing at this address. The link may be old or mistyped.
          </p>
          <Link href="/" className="btn-primary">
            Go to Parley
          </Link>
        </div>
      </div>
    </main>
  );
}
