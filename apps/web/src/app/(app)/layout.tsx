import type { ReactNode } from "react";
import { requireSession } from "@/auth/session";
import { AppShell } from "@/components/app-shell";
import { env } from "@/env";
import { ParleyProvider } from "@/lib/parley-provider";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  const { id, username, displayName, avatarUrl, admin } = session.user;
  return (
    <ParleyProvider
      me={{ id, username, displayName, avatarUrl, admin }}
      accessToken={session.accessToken}
      accessTokenExpiresAt={session.accessTokenExpiresAt}
      realtimeUrls={env.REALTIME_PUBLIC_URLS}
    >
      <AppShell>{children}</AppShell>
    </ParleyProvider>
  );
}
