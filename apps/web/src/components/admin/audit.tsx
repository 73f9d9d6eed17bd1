"use client";

import type { UserView } from "@parley/client";
import type { AuditEntry } from "@parley/proto";
import { useCallback, useEffect, useState } from "react";
import { FormError } from "@/components/form-error";
import { EmptyRow, Section } from "@/components/person-row";
import { UserName } from "@/components/user-name";
import { errorMessage } from "@/lib/errors";
import { useParley, useUsers } from "@/lib/parley-provider";
import { localTime } from "./format";

const ACTIONS: Record<string, string> = {
  "user.ban": "banned",
  "user.unban": "lifted the ban of",
  "user.sign_out": "signed out",
  "user.promote": "was made an admin",
  "user.demote": "was made a plain user",
  "message.delete": "removed message",
  broadcast: "broadcast to",
};

function target(entry: AuditEntry, user: UserView | undefined): string {
  if (entry.action === "user.promote" || entry.action === "user.demote") {
    return "(from the command line)";
  }
  if (entry.action === "broadcast") {
    return entry.targetType === "group" ? `group ${entry.targetId}` : "everyone";
  }
  if (entry.targetType === "user" && user) return `${user.displayName} @${user.username}`;
  return entry.targetId;
}

function Entry({ entry, user }: { entry: AuditEntry; user: UserView | undefined }) {
  const at = localTime(entry.createdAt);
  return (
    <li
      className="flex flex-col gap-1 px-4 py-3 text-sm"
      data-testid="audit-entry"
      data-action={entry.action}
    >
      <span className="flex flex-wrap items-baseline gap-x-1.5">
        <UserName
          displayName={entry.actor?.displayName ?? ""}
          username={entry.actor?.username ?? ""}
        />
        <span>{ACTIONS[entry.action] ?? entry.action}</span>
        <span className="text-xs break-all text-muted" title={entry.targetId}>
          {target(entry, user)}
        </span>
      </span>
      {entry.reason ? <span className="break-words text-ink/90">“{entry.reason}”</span> : null}
      <time className="text-xs text-muted" dateTime={at.utc} title={at.utc}>
        {at.text}
      </time>
    </li>
  );
}

/** Every admin action, newest first: who, what, when, why. */
export function AdminAudit() {
  const { client } = useParley();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState("");
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(true);

  const load = useCallback(
    async (pageToken: string) => {
      setLoading(true);
      try {
        const page = await client.admin.listAuditLog({ pageToken, pageSize: 50 });
        setEntries((prev) => (pageToken ? [...prev, ...page.entries] : page.entries));
        setNext(page.nextPageToken);
        setError("");
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setLoading(false);
      }
    },
    [client],
  );

  useEffect(() => void load(""), [load]);
  const targets = useUsers(entries.filter((e) => e.targetType === "user").map((e) => e.targetId));

  return (
    <>
      <FormError message={error} />
      <Section title="Audit log">
        <ul className="divide-y divide-line" aria-label="Audit log">
          {!loading && entries.length === 0 ? <EmptyRow>No admin actions yet.</EmptyRow> : null}
          {entries.map((entry) => (
            <Entry key={entry.id} entry={entry} user={targets[entry.targetId]} />
          ))}
        </ul>
        {next ? (
          <div className="border-t border-line p-3 text-center">
            <button
              type="button"
              className="btn-secondary"
              disabled={loading}
              onClick={() => load(next)}
            >
              Load more
            </button>
          </div>
        ) : null}
      </Section>
    </>
  );
}
