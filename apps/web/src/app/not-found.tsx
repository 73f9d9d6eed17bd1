import type { Metadata } from "next";
import Link from "next/link";
import { BrandFrame } from "@/components/brand-frame";

export const metadata: Metadata = { title: "Page not found" };

/**
 * Any address the app does not know, in the same frame as the sign-in pages. A server
 * component with only a link: Next.js sends this file along with every page.
 */
export default function NotFound() {
  return (
    <BrandFrame card="flex flex-col items-center gap-4 text-center">
      <h2 className="text-lg font-semibold" data-testid="not-found-title">
        Page not found
      </h2>
      <p className="text-sm text-muted">
        There is nothing at this address. The link may be old or mistyped.
      </p>
      <Link href="/" className="btn-primary">
        Go to Parley
      </Link>
    </BrandFrame>
  );
}
