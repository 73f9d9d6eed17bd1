import "server-only";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";

/** The signed-in user's session in a server component; sends everyone else to sign in. */
export async function requireSession() {
  const session = await getServerSession(authOptions);
  if (!session?.user?.id || session.error) redirect("/signin");
  return session;
}

export function currentSession() {
  return getServerSession(authOptions);
}
