import type { ReactNode } from "react";
import { Logo } from "@/components/logo";

/** The logo above one card, centred on the page: sign-in, sign-up and the 404 page. */
export function BrandFrame({ children, card = "" }: { children: ReactNode; card?: string }) {
  return (
    <main
      className={[
        "flex min-h-full items-center justify-center px-4 py-10",
        "bg-gradient-to-b from-accent-50 to-canvas",
      ].join(" ")}
    >
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo className="size-12" />
          <h1 className="text-2xl font-semibold tracking-tight">Parley</h1>
        </div>
        <div className={`card p-6 shadow-sm ${card}`}>{children}</div>
      </div>
    </main>
  );
}
