import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentSession } from "@/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string }>;
}) {
  const session = await currentSession();
  if (session?.user?.id && !session.error) redirect("/chat");
  const { error } = await searchParams;
  return <SignInForm initialError={error === "banned" ? "This account has been disabled" : ""} />;
}
