"use client";

import { type GroupView, toGroupView } from "@parley/client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { PageHeader } from "@/components/app-shell";
import { Avatar } from "@/components/avatar";
import { FormError } from "@/components/form-error";
import { EmptyRow, Section } from "@/components/person-row";
import { useChatSelector, useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";
import { FriendPicker } from "./friend-picker";
import { useFriends } from "./use-friends";

function useMyGroups() {
  const { client } = useParley();
  const version = useChatSelector((s) => s.groupsVersion);
  const [groups, setGroups] = useState<GroupView[]>([]);
  const action = useAction();
  const reload = useCallback(
    () =>
      action.run(async () => {
        const response = await client.groups.listMyGroups({});
        setGroups(
          response.groups.map((g) => toGroupView(g)).filter((g): g is GroupView => Boolean(g)),
        );
      }),
    [client, action.run],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload on every group event
  useEffect(() => {
    void reload();
  }, [reload, version]);
  return { groups, error: action.error };
}

function CreateGroup() {
  const { client } = useParley();
  const router = useRouter();
  const friends = useFriends() ?? [];
  const [name, setName] = useState("");
  const [members, setMembers] = useState<string[]>([]);
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await action.run(async () => {
      const response = await client.groups.createGroup({ name: name.trim(), memberIds: members });
      const conversationId = response.group?.conversationId;
      if (conversationId) router.push(`/chat/${conversationId}`);
    });
  }

  return (
    <Section title="New group">
      <form onSubmit={submit} className="flex flex-col gap-3 p-4" data-testid="create-group-form">
        <label className="flex flex-col gap-1.5 text-sm font-medium">
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={64}
            className="field"
            data-testid="group-name-input"
          />
        </label>
        <FriendPicker friends={friends} selected={members} onChange={setMembers} />
        <FormError message={action.error} />
        <div className="flex justify-end">
          <button
            type="submit"
            className="btn-primary"
            disabled={action.busy || !name.trim()}
            data-testid="create-group-button"
          >
            Create group
          </button>
        </div>
      </form>
    </Section>
  );
}

export function GroupsScreen() {
  const { groups, error } = useMyGroups();
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Groups" />
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex max-w-3xl flex-col gap-5 p-4 md:p-6">
          <FormError message={error} />
          <Section title="Your groups" count={groups.length}>
            <ul className="divide-y divide-line" aria-label="Your groups">
              {groups.length === 0 ? <EmptyRow>You are not in any group yet.</EmptyRow> : null}
              {groups.map((group) => (
                <li
                  key={group.id}
                  className="flex items-center gap-3 px-4 py-3"
                  data-testid="group-item"
                  data-group-id={group.id}
                >
                  <Avatar name={group.name} url={group.avatarUrl} seed={group.id} />
                  <span className="flex min-w-0 flex-1 flex-col">
                    <bdi className="truncate font-medium">{group.name}</bdi>
                    <span className="text-xs text-muted">
                      {group.memberCount} members · {group.myRole}
                    </span>
                  </span>
                  <Link
                    href={`/chat/${group.conversationId}`}
                    className="btn-secondary px-3 py-1.5"
                  >
                    Open chat
                  </Link>
                  <Link href={`/groups/${group.id}`} className="btn-ghost px-3 py-1.5">
                    Manage
                  </Link>
                </li>
              ))}
            </ul>
          </Section>
          <CreateGroup />
        </div>
      </div>
    </div>
  );
}
