"use client";

import { type FormEvent, useState } from "react";
import { FormError } from "@/components/form-error";
import { Section } from "@/components/person-row";
import { useParley } from "@/lib/parley-provider";
import { useAction } from "@/lib/use-action";

/** A system notification to everyone, or to one group; online users see it at once. */
export function AdminBroadcast() {
  const { client } = useParley();
  const [body, setBody] = useState("");
  const [target, setTarget] = useState<"everyone" | "group">("everyone");
  const [groupId, setGroupId] = useState("");
  const [sent, setSent] = useState("");
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSent("");
    const request = { body, groupId: target === "group" ? groupId.trim() : "" };
    const ok = await action.run(async () => {
      await client.admin.broadcast(request);
    });
    if (!ok) return;
    setSent(target === "group" ? "Sent to the group's members." : "Sent to everyone.");
    setBody("");
  }

  return (
    <Section title="Broadcast a system notification">
      <form onSubmit={submit} className="flex flex-col gap-4 p-4" data-testid="broadcast-form">
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="mb-1.5 font-medium">Send to</legend>
          {(["everyone", "group"] as const).map((value) => (
            <label key={value} className="flex items-center gap-2">
              <input
                type="radio"
                name="target"
                value={value}
                checked={target === value}
                onChange={() => setTarget(value)}
                className="accent-accent-600"
                data-testid={`broadcast-target-${value}`}
              />
              {value === "everyone" ? "Everyone" : "One group"}
            </label>
          ))}
        </fieldset>
        {target === "group" ? (
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            Group id
            <input
              value={groupId}
              onChange={(e) => setGroupId(e.target.value)}
              required
              className="field font-mono"
              data-testid="broadcast-group-id"
            />
          </label>
        ) : null}
        <label className="flex flex-col gap-1.5 text-sm font-medium">
          Message
          <textarea
            value={body}
            onChange={(e) => setBody(e.target.value)}
            required
            rows={4}
            maxLength={4000}
            placeholder="Shown to users as a notice from Parley"
            className="field resize-y"
            data-testid="broadcast-body"
          />
          <span className="text-xs font-normal text-muted">
            Users who are offline find it when they come back (within seven days).
          </span>
        </label>
        <FormError message={action.error} />
        <div className="flex items-center justify-end gap-3">
          {sent ? (
            <span role="status" className="text-sm text-emerald-700" data-testid="broadcast-sent">
              {sent}
            </span>
          ) : null}
          <button
            type="submit"
            className="btn-primary"
            disabled={action.busy || !body.trim()}
            data-testid="broadcast-submit"
          >
            {target === "everyone" ? "Send to everyone" : "Send to the group"}
          </button>
        </div>
      </form>
    </Section>
  );
}
