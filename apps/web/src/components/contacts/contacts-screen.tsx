"use client";

import { toPresenceView, toUserView } from "@parley/client";
import type { FriendRequest } from "@parley/proto";
import Link from "next/link";
import { PageHeader } from "@/components/app-shell";
import { ConfirmButton } from "@/components/confirm-button";
import { FormError } from "@/components/form-error";
import { EmptyRow, PersonRow, Section } from "@/components/person-row";
import { formatLastSeen } from "@/lib/format";
import { useChatSelector, useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";
import { useRelations } from "./use-relations";
import { UserSearch } from "./user-search";

function RequestRow({
  request,
  incoming,
  onChange,
}: {
  request: FriendRequest;
  incoming: boolean;
  onChange: () => void;
}) {
  const { client } = useParley();
  const action = useAction();
  const user = toUserView(incoming ? request.from : request.to);
  if (!user) return null;
  const act = (call: () => Promise<unknown>) => action.run(call).then(onChange);
  return (
    <PersonRow
      user={user}
      note={action.error || request.note || undefined}
      testId={incoming ? "incoming-request" : "outgoing-request"}
    >
      {incoming ? (
        <>
          <button
            type="button"
            data-testid="accept-request"
            className="btn-primary px-3 py-1.5"
            disabled={action.busy}
            onClick={() =>
              act(() => client.relations.acceptFriendRequest({ requestId: request.id }))
            }
          >
            Accept
          </button>
          <button
            type="button"
            className="btn-secondary px-3 py-1.5"
            disabled={action.busy}
            onClick={() =>
              act(() => client.relations.declineFriendRequest({ requestId: request.id }))
            }
          >
            Decline
          </button>
        </>
      ) : (
        <button
          type="button"
          className="btn-secondary px-3 py-1.5"
          disabled={action.busy}
          onClick={() => act(() => client.relations.cancelFriendRequest({ requestId: request.id }))}
        >
          Cancel
        </button>
      )}
    </PersonRow>
  );
}

export function ContactsScreen() {
  const { client } = useParley();
  const presence = useChatSelector((s) => s.presence);
  const { relations, loaded, error, reload } = useRelations();
  const action = useAction();
  const act = (call: () => Promise<unknown>) => action.run(call).then(reload);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Contacts" />
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex max-w-3xl flex-col gap-5 p-4 md:p-6">
          <FormError message={error || action.error} />
          <UserSearch relations={relations} onChange={reload} />

          <Section title="Friend requests" count={relations.incoming.length}>
            <ul className="divide-y divide-line" aria-label="Incoming friend requests">
              {relations.incoming.length === 0 ? (
                <EmptyRow>No requests waiting for you.</EmptyRow>
              ) : null}
              {relations.incoming.map((r) => (
                <RequestRow key={r.id} request={r} incoming onChange={reload} />
              ))}
            </ul>
            {relations.outgoing.length > 0 ? (
              <>
                <h3 className="border-t border-line px-4 pt-3 text-xs font-semibold tracking-wide text-muted uppercase">
                  Sent
                </h3>
                <ul className="divide-y divide-line" aria-label="Sent friend requests">
                  {relations.outgoing.map((r) => (
                    <RequestRow key={r.id} request={r} incoming={false} onChange={reload} />
                  ))}
                </ul>
              </>
            ) : null}
          </Section>

          <Section title="Friends" count={relations.friends.length}>
            <ul className="divide-y divide-line" aria-label="Friends" data-testid="friends-list">
              {loaded && relations.friends.length === 0 ? (
                <EmptyRow>No friends yet. Search for people above.</EmptyRow>
              ) : null}
              {relations.friends.map((friend) => {
                const user = toUserView(friend.user);
                if (!user) return null;
                // The stream's presence is the freshest; the list's is there for new friends.
                const live =
                  presence[user.id] ?? (friend.presence && toPresenceView(friend.presence));
                return (
                  <PersonRow
                    key={user.id}
                    user={user}
                    online={live?.online}
                    note={live?.online ? "online" : formatLastSeen(live?.lastSeenAt)}
                    testId="friend"
                  >
                    <Link
                      href={`/chat/${friend.conversationId}`}
                      className="btn-secondary px-3 py-1.5"
                    >
                      Message
                    </Link>
                    <ConfirmButton
                      label="Remove"
                      confirmLabel="Remove?"
                      disabled={action.busy}
                      onConfirm={() =>
                        act(() => client.relations.removeFriend({ userId: user.id }))
                      }
                    />
                    <ConfirmButton
                      label="Block"
                      confirmLabel="Block?"
                      testId="block-button"
                      disabled={action.busy}
                      onConfirm={() => act(() => client.relations.blockUser({ userId: user.id }))}
                    />
                  </PersonRow>
                );
              })}
            </ul>
          </Section>

          <Section title="Blocked" count={relations.blocked.length}>
            <ul className="divide-y divide-line" aria-label="Blocked people">
              {relations.blocked.length === 0 ? (
                <EmptyRow>You have not blocked anyone.</EmptyRow>
              ) : null}
              {relations.blocked.map((user) => (
                <PersonRow
                  key={user.id}
                  user={user}
                  note="Cannot message you or send you requests"
                  testId="blocked-user"
                >
                  <button
                    type="button"
                    data-testid="unblock-button"
                    className="btn-secondary px-3 py-1.5"
                    disabled={action.busy}
                    onClick={() => act(() => client.relations.unblockUser({ userId: user.id }))}
                  >
                    Unblock
                  </button>
                </PersonRow>
              ))}
            </ul>
          </Section>
        </div>
      </div>
    </div>
  );
}
