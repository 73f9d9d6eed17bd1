import type { Metadata } from "next";
import type { ReactNode } from "react";
import { requireSession } from "@/auth/session";
import { AdminFrame, AdminRefusal } from "@/components/admin/admin-frame";
import { AppShell } from "@/components/app-shell";
import { env } from "@/env";
import { ParleyProvider } from "@/lib/parley-provider";
import { checkAdmin } from "./admin-role";

export const metadata: Metadata = { title: "Admin" };

/** Every /admin page: signed in, and an admin by the realtime service's own account. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  const check = await checkAdmin(session.accessToken);
  const { id, username, displayName, avatarUrl } = session.user;
  return (
    <ParleyProvider
      me={{ id, username, displayName, avatarUrl, admin: check === "admin" }}
      accessToken={session.accessToken}
      accessTokenExpiresAt={session.accessTokenExpiresAt}
      realtimeUrls={env.REALTIME_PUBLIC_URLS}
    >
      <AppShell>
        {check === "admin" ? <AdminFrame>{children}</AdminFrame> : <AdminRefusal reason={check} />}
      </AppShell>
    </ParleyProvider>
  );
}
