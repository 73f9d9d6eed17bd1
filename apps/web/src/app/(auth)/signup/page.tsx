import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentSession } from "@/auth/session";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  const session = await currentSession();
  if (session?.user?.id && !session.error) redirect("/chat");
  return <SignUpForm />;
}
