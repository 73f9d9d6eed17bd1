"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FormError } from "@/components/form-error";

export function SignInForm({ initialError }: { initialError: string }) {
  const router = useRouter();
  const [error, setError] = useState(initialError);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError("");
    const result = await signIn("login", {
      redirect: false,
      login: String(form.get("login") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    if (result?.ok && !result.error) {
      router.replace("/chat");
      router.refresh();
      return;
    }
    setBusy(false);
    setError(
      result?.error === "CredentialsSignin"
        ? "Wrong username or password"
        : (result?.error ?? "Sign-in failed"),
    );
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" data-testid="signin-form">
      <h2 className="text-lg font-semibold">Sign in</h2>
      <label className="flex flex-col gap-1.5 text-sm font-medium">
        Username or email
        <input name="login" autoComplete="username" required className="field" />
      </label>
      <label className="flex flex-col gap-1.5 text-sm font-medium">
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="field"
        />
      </label>
      <FormError message={error} />
      <button type="submit" className="btn-primary mt-1 w-full" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <p className="text-center text-sm text-muted">
        New to Parley?{" "}
        <Link href="/signup" className="font-medium text-accent-600 hover:underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
