"use client";

import { timestampMs } from "@bufbuild/protobuf/wkt";
import { toUserView } from "@parley/client";
import { type AdminUser, UserRole } from "@parley/proto";
import { useCallback, useEffect, useState } from "react";
import { FormError } from "@/components/form-error";
import { EmptyRow, PersonRow, Section } from "@/components/person-row";
import { errorMessage } from "@/lib/errors";
import { formatLastSeen } from "@/lib/format";
import { useParley } from "@/lib/parley-provider";
import { localTime } from "./format";
import { UserActions } from "./user-actions";

const PAGE_SIZE = 25;

/** Pages of users for a search; `more()` appends the next page. */
function useUserPages(query: string) {
  const { client } = useParley();
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [next, setNext] = useState("");
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (pageToken: string, append: boolean) => {
      setLoading(true);
      try {
        const page = await client.admin.listUsers({ query, pageToken, pageSize: PAGE_SIZE });
        setUsers((prev) => (append ? [...prev, ...page.users] : page.users));
        setNext(page.nextPageToken);
        setError("");
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setLoading(false);
      }
    },
    [client, query],
  );

  useEffect(() => {
    const timer = setTimeout(() => void load("", false), 250);
    return () => clearTimeout(timer);
  }, [load]);

  const replace = (user: AdminUser) =>
    setUsers((prev) => prev.map((u) => (u.user?.id === user.user?.id ? user : u)));
  return { users, error, loading, hasMore: Boolean(next), more: () => load(next, true), replace };
}

function status(user: AdminUser): string {
  if (user.bannedAt) return `Banned ${localTime(user.bannedAt).text}: ${user.banReason}`;
  if (user.online) return "Online";
  return formatLastSeen(user.lastSeenAt ? timestampMs(user.lastSeenAt) : undefined);
}

function UserRow({ user, onChange }: { user: AdminUser; onChange: (u: AdminUser) => void }) {
  const view = toUserView(user.user);
  if (!view) return null;
  const registered = localTime(user.user?.createdAt);
  return (
    <PersonRow
      user={view}
      online={user.online}
      testId="admin-user"
      note={
        <>
          <span className={user.bannedAt ? "text-red-700" : ""}>{status(user)}</span>
          {" · "}
          {user.email}
          {" · "}
          <span title={registered.utc}>joined {registered.text}</span>
        </>
      }
    >
      {user.role === UserRole.ADMIN ? (
        <span className="rounded-full bg-accent-50 px-2 py-0.5 text-xs font-medium text-accent-700">
          admin
        </span>
      ) : null}
      <UserActions user={user} onChange={onChange} />
    </PersonRow>
  );
}

/** Search, page through and act on users. */
export function AdminUsers() {
  const [query, setQuery] = useState("");
  const pages = useUserPages(query.trim().toLowerCase());
  return (
    <>
      <label className="flex flex-col gap-1.5 text-sm font-medium">
        Search users
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Start of a username, display name or email"
          className="field"
          data-testid="admin-user-search"
        />
      </label>
      <FormError message={pages.error} />
      <Section title="Users">
        <ul className="divide-y divide-line" aria-label="Users">
          {!pages.loading && pages.users.length === 0 ? <EmptyRow>No users match.</EmptyRow> : null}
          {pages.users.map((user) => (
            <UserRow key={user.user?.id} user={user} onChange={pages.replace} />
          ))}
        </ul>
        {pages.hasMore ? (
          <div className="border-t border-line p-3 text-center">
            <button
              type="button"
              className="btn-secondary"
              disabled={pages.loading}
              onClick={pages.more}
              data-testid="admin-users-more"
            >
              Load more
            </button>
          </div>
        ) : null}
      </Section>
    </>
  );
}
