"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType, ReactNode } from "react";
import { useChatSelector, useParley } from "@/lib/parley-provider";
import { AdminIcon } from "./admin/admin-icon";
import { Avatar } from "./avatar";
import { ConnectionBanner } from "./connection-banner";
import { ChatIcon, ContactsIcon, GroupIcon, UserIcon } from "./icons";
import { Logo } from "./logo";
import { SystemNotices } from "./system-notices";

interface NavItem {
  href: string;
  label: string;
  icon: ComponentType;
  badge?: number;
}

function NavLink({ item, active, compact }: { item: NavItem; active: boolean; compact: boolean }) {
  const Icon = item.icon;
  const tone = active
    ? "text-accent-600 bg-accent-50"
    : "text-muted hover:text-ink hover:bg-accent-50/60";
  return (
    <Link
      href={item.href}
      aria-current={active ? "page" : undefined}
      data-testid={`nav-${item.label.toLowerCase()}`}
      className={`relative flex flex-col items-center gap-1 rounded-xl px-3 py-2 text-[11px] font-medium transition-colors ${tone} ${compact ? "flex-1" : ""}`}
    >
      <Icon />
      <span>{item.label}</span>
      {item.badge ? (
        <span className="absolute top-1 right-2 min-w-4 rounded-full bg-accent-600 px-1 text-center text-[10px] leading-4 text-white">
          {item.badge > 99 ? "99+" : item.badge}
        </span>
      ) : null}
    </Link>
  );
}

function useNavItems(): NavItem[] {
  const unread = useChatSelector((s) =>
    Object.values(s.conversations).reduce((sum, c) => sum + (c.unreadCount > 0 ? 1 : 0), 0),
  );
  const requests = useChatSelector((s) => s.pendingFriendRequests);
  const { me } = useParley();
  const admin = me.admin ? [{ href: "/admin", label: "Admin", icon: AdminIcon }] : [];
  return [
    { href: "/chat", label: "Chats", icon: ChatIcon, badge: unread },
    { href: "/contacts", label: "Contacts", icon: ContactsIcon, badge: requests },
    { href: "/groups", label: "Groups", icon: GroupIcon },
    { href: "/profile", label: "Profile", icon: UserIcon },
    ...admin,
  ];
}

/**
 * The frame around every signed-in page: a rail on the left on wide screens, a tab bar at the
 * bottom on phones (hidden inside an open conversation, which has its own back button).
 */
export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const { me, realtimeUrl } = useParley();
  const items = useNavItems();
  const isActive = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  const inConversation = /^\/chat\/.+/.test(pathname) || /^\/groups\/.+/.test(pathname);

  return (
    <div
      className="flex h-dvh flex-col md:flex-row"
      data-testid="app-shell"
      data-realtime-url={realtimeUrl}
    >
      <nav
        aria-label="Main"
        className="hidden w-20 shrink-0 flex-col items-center gap-2 border-r border-line bg-white py-4 md:flex"
      >
        <Link href="/chat" aria-label="Parley home" className="mb-4">
          <Logo className="size-9" />
        </Link>
        {items.map((item) => (
          <NavLink key={item.href} item={item} active={isActive(item.href)} compact={false} />
        ))}
        <Link href="/profile" className="mt-auto" aria-label="Your profile">
          <Avatar name={me.displayName} url={me.avatarUrl} seed={me.id} size="sm" />
        </Link>
      </nav>
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">
        <ConnectionBanner />
        <SystemNotices />
        <main className="flex min-h-0 flex-1 flex-col">{children}</main>
        <nav
          aria-label="Main"
          className={`flex shrink-0 gap-1 border-t border-line bg-white px-2 py-1.5 md:hidden ${inConversation ? "hidden" : ""}`}
        >
          {items.map((item) => (
            <NavLink key={item.href} item={item} active={isActive(item.href)} compact />
          ))}
        </nav>
      </div>
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="flex items-center justify-between gap-3 border-b border-line bg-white px-4 py-3 md:px-6">
      <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
      {children}
    </header>
  );
}
