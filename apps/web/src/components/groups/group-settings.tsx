"use client";

import type { GroupView } from "@parley/client";
import type { GroupMember } from "@parley/proto";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { FormError } from "@/components/form-error";
import { Section } from "@/components/person-row";
import { useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";
import { FriendPicker } from "./friend-picker";
import { useFriends } from "./use-friends";

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
  const friends = useFriends();
  const [selected, setSelected] = useState<string[]>([]);
  const action = useAction();
  const memberIds = new Set(members.map((m) => m.user?.id ?? ""));
  const outside = friends?.filter((f) => !memberIds.has(f.id)) ?? [];
  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await action.run(() =>
      client.groups.addMembers({ groupId: group.id, userIds: selected }),
    );
    if (ok) setSelected([]);
    onChange();
  }
  // With no one left to choose, a sentence says why instead of a button that never enables.
  const nobody = !friends
    ? "Loading your friends…"
    : friends.length === 0
      ? "You have no friends to invite yet. Add some in Contacts."
      : outside.length === 0
        ? "Every one of your friends is already a member."
        : "";
  return (
    <Section title="Invite friends">
      {nobody ? (
        <p className="p-4 text-sm text-muted" data-testid="invite-nobody">
          {nobody}
        </p>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-3 p-4">
          <FriendPicker
            friends={outside}
            selected={selected}
            onChange={setSelected}
            legend="Friends not in the group yet"
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
      )}
    </Section>
  );
}

/** The group's name, and leaving or dissolving it. */
export function Settings({ group, onChange }: { group: GroupView; onChange: () => void }) {
  const { client } = useParley();
  const router = useRouter();
  const [name, setName] = useState(group.name);
  const action = useAction();
  const reasonId = useId();
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
        <div className="flex flex-wrap items-center justify-end gap-2">
          {mine === "owner" ? (
            <>
              {/* The server refuses an owner's leave: the button says why it is off. */}
              <p id={reasonId} className="mr-auto text-xs text-muted">
                {group.memberCount > 1
                  ? "You own this group. To leave, first make another member owner (Make owner, above), or dissolve the group."
                  : "You are the only member. Dissolve the group to leave it."}
              </p>
              <button
                type="button"
                className="btn-danger px-3 py-1.5"
                disabled
                aria-describedby={reasonId}
                data-testid="leave-group"
              >
                Leave group
              </button>
              <ConfirmButton
                label="Dissolve group"
                confirmLabel="Dissolve for everyone?"
                testId="dissolve-group"
                disabled={action.busy}
                onConfirm={dissolve}
              />
            </>
          ) : (
            <ConfirmButton
              label="Leave group"
              confirmLabel="Leave?"
              testId="leave-group"
              disabled={action.busy}
              onConfirm={leave}
            />
          )}
        </div>
      </div>
    </Section>
  );
}
