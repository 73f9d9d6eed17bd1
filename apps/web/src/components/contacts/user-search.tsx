"use client";

import { toUserView, type UserView } from "@parley/client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { FormError } from "@/components/form-error";
import { SearchIcon } from "@/components/icons";
import { EmptyRow, PersonRow, Section } from "@/components/person-row";
import { errorMessage } from "@/lib/errors";
import { useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";
import type { Relations } from "./use-relations";

/** Finds people by the start of their username or display name and offers the next step. */
export function UserSearch({
  relations,
  onChange,
}: {
  relations: Relations;
  onChange: () => void;
}) {
  const { client, me } = useParley();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<UserView[]>([]);
  const [searchError, setSearchError] = useState("");
  const action = useAction();

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setResults([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      client.users
        .searchUsers({ query: q, limit: 20 }, { signal: controller.signal })
        .then((r) => {
          setResults(r.users.map((u) => toUserView(u)).filter((u): u is UserView => Boolean(u)));
          setSearchError("");
        })
        .catch((e) => !controller.signal.aborted && setSearchError(errorMessage(e)));
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [client, query]);

  function actionFor(user: UserView) {
    const friend = relations.friends.find((f) => f.user?.id === user.id);
    if (friend) {
      return (
        <Link href={`/chat/${friend.conversationId}`} className="btn-secondary px-3 py-1.5">
          Message
        </Link>
      );
    }
    if (relations.blocked.some((b) => b.id === user.id))
      return <span className="text-xs text-muted">Blocked</span>;
    if (relations.outgoing.some((r) => r.to?.id === user.id))
      return <span className="text-xs text-muted">Request sent</span>;
    const incoming = relations.incoming.find((r) => r.from?.id === user.id);
    if (incoming) {
      return (
        <button
          type="button"
          className="btn-primary px-3 py-1.5"
          disabled={action.busy}
          onClick={() =>
            action
              .run(() => client.relations.acceptFriendRequest({ requestId: incoming.id }))
              .then(onChange)
          }
        >
          Accept
        </button>
      );
    }
    return (
      <button
        type="button"
        data-testid="add-friend-button"
        className="btn-primary px-3 py-1.5"
        disabled={action.busy}
        onClick={() =>
          action.run(() => client.relations.sendFriendRequest({ toUserId: user.id })).then(onChange)
        }
      >
        Add friend
      </button>
    );
  }

  const shown = results.filter((u) => u.id !== me.id);
  return (
    <Section title="Find people">
      <div className="flex flex-col gap-2 p-4 pb-2">
        <label className="relative block">
          <span className="sr-only">Search by username or name</span>
          <span className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-muted">
            <SearchIcon />
          </span>
          <input
            type="search"
            data-testid="user-search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Search by username or name"
            className="field pl-10"
          />
        </label>
        <FormError message={searchError || action.error} />
      </div>
      {query.trim().length >= 2 ? (
        <ul className="divide-y divide-line" aria-label="Search results">
          {shown.length === 0 ? <EmptyRow>Nobody found.</EmptyRow> : null}
          {shown.map((user) => (
            <PersonRow key={user.id} user={user} testId="search-result">
              {actionFor(user)}
            </PersonRow>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}
