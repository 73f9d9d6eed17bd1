"use client";

import { type GroupView, toUserView, type UserView } from "@parley/client";
import type { GroupMember } from "@parley/proto";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { FormError } from "@/components/form-error";
import { Section } from "@/components/person-row";
import { useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";
import { FriendPicker } from "./friend-picker";

/** Friends of a manager who are not members yet, to add to the group. */
export function Invite({
  group,
  members,
  onChange,
}: {
  group: GroupView;
  members: GroupMember[];
  onChange: () => void;
}) {
  const { client } = useParley();
  const [friends, setFriends] = useState<UserView[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const action = useAction();
  useEffect(() => {
    client.relations
      .listFriends({})
      .then((r) =>
        setFriends(
          r.friends.map((f) => toUserView(f.user)).filter((u): u is UserView => Boolean(u)),
        ),
      )
      .catch(() => setFriends([]));
  }, [client]);
  const memberIds = members.map((m) => m.user?.id ?? "");
  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await action.run(() =>
      client.groups.addMembers({ groupId: group.id, userIds: selected }),
    );
    if (ok) setSelected([]);
    onChange();
  }
  return (
    <Section title="Invite friends">
      <form onSubmit={submit} className="flex flex-col gap-3 p-4">
        <FriendPicker
          friends={friends}
          selected={selected}
          onChange={setSelected}
          exclude={memberIds}
          legend="Friends not in the group yet"
          emptyText="All your friends are in this group."
        />
        <FormError message={action.error} />
        <div className="flex justify-end">
          <button
            type="submit"
            className="btn-primary"
            disabled={action.busy || selected.length === 0}
            data-testid="invite-button"
          >
            Invite {selected.length ? selected.length : ""}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** The group's name, and leaving or dissolving it. */
export function Settings({ group, onChange }: { group: GroupView; onChange: () => void }) {
  const { client } = useParley();
  const router = useRouter();
  const [name, setName] = useState(group.name);
  const action = useAction();
  const mine = group.myRole;
  async function rename(event: FormEvent) {
    event.preventDefault();
    await action.run(() => client.groups.renameGroup({ groupId: group.id, name: name.trim() }));
    onChange();
  }
  const leave = () =>
    action
      .run(() => client.groups.leaveGroup({ groupId: group.id }))
      .then((ok) => ok && router.push("/groups"));
  const dissolve = () =>
    action
      .run(() => client.groups.dissolveGroup({ groupId: group.id }))
      .then((ok) => ok && router.push("/groups"));
  return (
    <Section title="Settings">
      <div className="flex flex-col gap-4 p-4">
        {mine === "owner" || mine === "admin" ? (
          <form onSubmit={rename} className="flex items-end gap-2">
            <label className="flex flex-1 flex-col gap-1.5 text-sm font-medium">
              Group name
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={64}
                required
                className="field"
                data-testid="rename-input"
              />
            </label>
            <button
              type="submit"
              className="btn-secondary"
              disabled={action.busy || name.trim() === group.name}
            >
              Rename
            </button>
          </form>
        ) : null}
        <FormError message={action.error} />
        <div className="flex flex-wrap justify-end gap-2">
          {mine === "owner" ? (
            <>
              <p className="mr-auto self-center text-xs text-muted">
                As the owner, dissolve the group or make someone else owner before leaving.
              </p>
              <ConfirmButton
                label="Dissolve group"
                confirmLabel="Dissolve for everyone?"
                testId="dissolve-group"
                onConfirm={dissolve}
              />
            </>
          ) : (
            <ConfirmButton
              label="Leave group"
              confirmLabel="Leave?"
              testId="leave-group"
              onConfirm={leave}
            />
          )}
        </div>
      </div>
    </Section>
  );
}
