"use client";

import { type FormEvent, useState } from "react";
import { FormError } from "@/components/form-error";
import { Section } from "@/components/person-row";
import { useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";

/** Removes a message by id: every client replaces it with a notice; the reason is kept. */
export function AdminModeration() {
  const { client } = useParley();
  const [messageId, setMessageId] = useState("");
  const [reason, setReason] = useState("");
  const [removed, setRemoved] = useState("");
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setRemoved("");
    const id = messageId.trim();
    const ok = await action.run(() => client.messages.delete({ messageId: id, reason }));
    if (!ok) return;
    setRemoved(id);
    setMessageId("");
    setReason("");
  }

  return (
    <Section title="Remove a message">
      <form onSubmit={submit} className="flex flex-col gap-4 p-4" data-testid="moderation-form">
        <p className="text-sm text-muted">
          The message disappears for every member of its conversation and shows as removed by a
          moderator. The reason is kept with it and in the audit log.
        </p>
        <label className="flex flex-col gap-1.5 text-sm font-medium">
          Message id
          <input
            value={messageId}
            onChange={(e) => setMessageId(e.target.value)}
            required
            pattern="[0-9A-Za-z]{26}"
            placeholder="26 characters, e.g. 01JF8…"
            className="field font-mono"
            data-testid="moderation-message-id"
          />
        </label>
        <label className="flex flex-col gap-1.5 text-sm font-medium">
          Reason
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            maxLength={500}
            className="field"
            data-testid="moderation-reason"
          />
        </label>
        <FormError message={action.error} />
        <div className="flex items-center justify-end gap-3">
          {removed ? (
            <span role="status" className="text-sm text-emerald-700">
              Removed {removed}
            </span>
          ) : null}
          <button
            type="submit"
            className="btn bg-red-600 text-white hover:bg-red-700"
            disabled={action.busy || !reason.trim() || !messageId.trim()}
            data-testid="moderation-submit"
          >
            Remove message
          </button>
        </div>
      </form>
    </Section>
  );
}
