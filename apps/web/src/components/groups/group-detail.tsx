"use client";

import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { type GroupView, roleName, toGroupView, toUserView } from "@parley/client";
import { type GroupMember, GroupRole } from "@parley/proto";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { Avatar } from "@/components/avatar";
import { ConfirmButton } from "@/components/confirm-button";
import { FormError } from "@/components/form-error";
import { BackIcon } from "@/components/icons";
import { PersonRow, Section } from "@/components/person-row";
import { errorMessage } from "@/lib/errors";
import { formatDay, formatTime } from "@/lib/format";
import { useChatSelector, useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";
import { Invite, Settings } from "./group-settings";

const MUTE_CHOICES = [
  { label: "1 hour", ms: 3_600_000 },
  { label: "1 day", ms: 86_400_000 },
  { label: "1 week", ms: 7 * 86_400_000 },
];

function useGroup(groupId: string) {
  const { client } = useParley();
  const version = useChatSelector((s) => s.groupsVersion);
  const [group, setGroup] = useState<GroupView>();
  const [members, setMembers] = useState<GroupMember[]>([]);
  const [error, setError] = useState("");
  const [missing, setMissing] = useState(false);
  const reload = useCallback(async () => {
    try {
      const response = await client.groups.getGroup({ groupId });
      setGroup(toGroupView(response.group));
      setMembers(response.members);
      setError("");
      setMissing(false);
    } catch (e) {
      // A malformed id, a group that does not exist and one the user may not see look alike.
      const code = ConnectError.from(e).code;
      const gone = [Code.InvalidArgument, Code.NotFound, Code.PermissionDenied].includes(code);
      if (gone) {
        setGroup(undefined);
        setMembers([]);
      }
      setMissing(gone);
      setError(errorMessage(e));
    }
  }, [client, groupId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload on every group event
  useEffect(() => {
    void reload();
  }, [reload, version]);
  return { group, members, error, missing, reload };
}

function mutedUntil(member: GroupMember, now: number): number | undefined {
  const until = member.mutedUntil ? timestampMs(member.mutedUntil) : 0;
  return until > now ? until : undefined;
}

function MemberActions({
  member,
  group,
  onChange,
}: {
  member: GroupMember;
  group: GroupView;
  onChange: () => void;
}) {
  const { client, me } = useParley();
  const action = useAction();
  const userId = member.user?.id ?? "";
  const role = roleName(member.role);
  const mine = group.myRole;
  const canModerate =
    userId !== me.id && (mine === "owner" || (mine === "admin" && role === "member"));
  if (!canModerate) return null;
  const act = (call: () => Promise<unknown>) => action.run(call).then(onChange);
  const muted = mutedUntil(member, Date.now());
  return (
    <>
      {mine === "owner" ? (
        <ConfirmButton
          label="Make owner"
          confirmLabel="Make owner? You become an admin"
          testId="transfer-ownership"
          disabled={action.busy}
          onConfirm={() =>
            act(() => client.groups.transferOwnership({ groupId: group.id, userId }))
          }
        />
      ) : null}
      {mine === "owner" ? (
        <button
          type="button"
          className="btn-secondary px-3 py-1.5"
          disabled={action.busy}
          onClick={() =>
            act(() =>
              client.groups.setMemberRole({
                groupId: group.id,
                userId,
                role: role === "admin" ? GroupRole.MEMBER : GroupRole.ADMIN,
              }),
            )
          }
        >
          {role === "admin" ? "Make member" : "Make admin"}
        </button>
      ) : null}
      <label className="sr-only" htmlFor={`mute-${userId}`}>
        Mute
      </label>
      <select
        id={`mute-${userId}`}
        className="field w-auto py-1.5"
        value=""
        disabled={action.busy}
        onChange={(e) => {
          const ms = Number(e.target.value);
          act(() =>
            client.groups.muteMember({
              groupId: group.id,
              userId,
              until: ms > 0 ? timestampFromMs(Date.now() + ms) : undefined,
            }),
          );
        }}
      >
        <option value="" disabled>
          {muted ? "Muted" : "Mute…"}
        </option>
        {MUTE_CHOICES.map((c) => (
          <option key={c.ms} value={c.ms}>
            Mute {c.label}
          </option>
        ))}
        {muted ? <option value={0}>Unmute</option> : null}
      </select>
      <ConfirmButton
        label="Remove"
        confirmLabel="Remove?"
        testId="remove-member"
        disabled={action.busy}
        onConfirm={() => act(() => client.groups.removeMember({ groupId: group.id, userId }))}
      />
      {action.error ? (
        <span className="w-full text-right text-xs text-red-700">{action.error}</span>
      ) : null}
    </>
  );
}

const ROLE_ORDER = { owner: 0, admin: 1, member: 2, none: 3 };

export function GroupDetail({ groupId }: { groupId: string }) {
  const { group, members, error, missing, reload } = useGroup(groupId);
  const presence = useChatSelector((s) => s.presence);
  const now = Date.now();
  const sorted = [...members].sort(
    (a, b) => ROLE_ORDER[roleName(a.role)] - ROLE_ORDER[roleName(b.role)],
  );
  const manage =
    group && (group.myRole === "owner" || group.myRole === "admin") && !group.dissolved;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <header className="flex items-center gap-3 border-b border-line bg-white px-3 py-2.5 md:px-6">
        <Link href="/groups" className="btn-ghost -ml-1 p-2" aria-label="Back to groups">
          <BackIcon />
        </Link>
        {group ? <Avatar name={group.name} url={group.avatarUrl} seed={group.id} /> : null}
        <div className="flex min-w-0 flex-1 flex-col">
          <bdi className="truncate font-semibold">{group?.name ?? "Group"}</bdi>
          <span className="text-xs text-muted">
            {group ? `${group.memberCount} members${group.dissolved ? " · dissolved" : ""}` : ""}
          </span>
        </div>
        {group ? (
          <Link href={`/chat/${group.conversationId}`} className="btn-primary">
            Open chat
          </Link>
        ) : null}
      </header>
      {group ? (
        <div className="min-h-0 flex-1 overflow-y-auto">
          <div className="mx-auto flex max-w-3xl flex-col gap-5 p-4 md:p-6">
            <FormError message={error} />
            <Section title="Members" count={members.length}>
              <ul className="divide-y divide-line" aria-label="Members" data-testid="members-list">
                {sorted.map((member) => {
                  const user = toUserView(member.user);
                  if (!user) return null;
                  const role = roleName(member.role);
                  const muted = mutedUntil(member, now);
                  const note = [
                    role === "member" ? "" : role === "owner" ? "Owner" : "Admin",
                    muted
                      ? `muted until ${formatDay(muted, now).toLowerCase()} ${formatTime(muted)}`
                      : "",
                  ]
                    .filter(Boolean)
                    .join(" · ");
                  return (
                    <PersonRow
                      key={user.id}
                      user={user}
                      online={presence[user.id]?.online}
                      note={note || undefined}
                      testId="group-member"
                    >
                      <MemberActions member={member} group={group} onChange={reload} />
                    </PersonRow>
                  );
                })}
              </ul>
            </Section>
            {manage ? <Invite group={group} members={members} onChange={reload} /> : null}
            {!group.dissolved && group.myRole !== "none" ? (
              <Settings group={group} onChange={reload} />
            ) : null}
          </div>
        </div>
      ) : (
        // Like a conversation that cannot be opened: a plain sentence, not the server's error.
        <div className="flex flex-1 items-center justify-center p-6 text-sm text-muted">
          {missing ? (
            <p data-testid="group-unavailable">This group is not available.</p>
          ) : error ? (
            <FormError message={error} />
          ) : (
            <p>Loading…</p>
          )}
        </div>
      )}
    </div>
  );
}
