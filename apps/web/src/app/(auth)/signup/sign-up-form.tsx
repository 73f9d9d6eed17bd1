"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/form-error";

/** Mirrors the server's username rule so the form can say what is wrong before submitting. */
const USERNAME_PATTERN = "[A-Za-z0-9_]{3,32}";

export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "");
    if (value("password") !== value("confirm")) {
      setError("The passwords do not match");
      return;
    }
    setBusy(true);
    setError("");
    // The "register" provider calls UserService.Register on the server and signs in with
    // the session it returns.
    const result = await signIn("register", {
      redirect: false,
      username: value("username").toLowerCase(),
      displayName: value("displayName"),
      email: value("email"),
      password: value("password"),
    });
    if (result?.ok && !result.error) {
      router.replace("/chat");
      router.refresh();
      return;
    }
    setBusy(false);
    setError(result?.error ?? "Could not create the account");
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" data-testid="signup-form">
      <h2 className="text-lg font-semibold">Create an account</h2>
      <div className="flex flex-col gap-1.5 text-sm font-medium">
        <label htmlFor="signup-username">Username</label>
        <input
          id="signup-username"
          name="username"
          autoComplete="username"
          required
          pattern={USERNAME_PATTERN}
          title="3 to 32 letters, digits or underscores"
          aria-describedby="signup-username-hint"
          className="field"
        />
        <span id="signup-username-hint" className="text-xs font-normal text-muted">
          3–32 letters, digits or underscores
        </span>
      </div>
      <label className="flex flex-col gap-1.5 text-sm font-medium">
        Display name
        <input name="displayName" autoComplete="name" required maxLength={64} className="field" />
      </label>
      <label className="flex flex-col gap-1.5 text-sm font-medium">
        Email
        <input name="email" type="email" autoComplete="email" required className="field" />
      </label>
      <label className="flex flex-col gap-1.5 text-sm font-medium">
        Password
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          className="field"
        />
      </label>
      <label className="flex flex-col gap-1.5 text-sm font-medium">
        Repeat password
        <input
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          className="field"
        />
      </label>
      <FormError message={error} />
      <button type="submit" className="btn-primary mt-1 w-full" disabled={busy}>
        {busy ? "Creating account…" : "Create account"}
      </button>
      <p className="text-center text-sm text-muted">
        Already have an account?{" "}
        <Link href="/signin" className="font-medium text-accent-600 hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
