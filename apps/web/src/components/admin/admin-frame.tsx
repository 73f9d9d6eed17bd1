"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/app-shell";

const TABS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/moderation", label: "Moderation" },
  { href: "/admin/broadcast", label: "Broadcast" },
  { href: "/admin/audit", label: "Audit log" },
];

/** The admin pages' header and tabs, around the page. */
export function AdminFrame({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Admin" />
      <nav
        aria-label="Admin"
        className="flex shrink-0 gap-1 overflow-x-auto border-b border-line bg-white px-2 md:px-4"
      >
        {TABS.map((tab) => {
          const active = pathname === tab.href;
          return (
            <Link
              key={tab.href}
              href={tab.href}
              aria-current={active ? "page" : undefined}
              data-testid={`admin-tab-${tab.label.toLowerCase().replace(" ", "-")}`}
              className={`shrink-0 border-b-2 px-3 py-2.5 text-sm font-medium transition-colors ${
                active
                  ? "border-accent-600 text-accent-700"
                  : "border-transparent text-muted hover:text-ink"
              }`}
            >
              {tab.label}
            </Link>
          );
        })}
      </nav>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex max-w-6xl flex-col gap-5 p-4 md:p-6">{children}</div>
      </div>
    </div>
  );
}

/** Shown instead of the dashboard to anyone who is not an admin (checked on the server). */
export function AdminRefusal({ reason }: { reason: "denied" | "unavailable" }) {
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Admin" />
      <div
        className={[
          "mx-auto flex max-w-md flex-1 flex-col items-center justify-center",
          "gap-3 p-6 text-center",
        ].join(" ")}
      >
        <h2 className="text-lg font-semibold" data-testid="admin-refused">
          {reason === "denied" ? "Admins only" : "Cannot check your role right now"}
        </h2>
        {reason === "denied" ? (
          <>
            <p className="text-sm text-muted">
              This part of Parley is for the people who run it. If you should have access, ask an
              operator to run this on the server, with your username:
            </p>
            <code
              className="rounded-lg bg-canvas px-3 py-2 font-mono text-xs text-ink ring-1 ring-line"
              data-testid="promote-command"
            >
              npm run admin -- promote &lt;username&gt;
            </code>
          </>
        ) : (
          <p className="text-sm text-muted">
            Parley is unreachable at the moment. Try again shortly.
          </p>
        )}
        <Link href="/chat" className="btn-secondary">
          Back to chats
        </Link>
      </div>
    </div>
  );
}
