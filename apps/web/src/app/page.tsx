import { redirect } from "next/navigation";
import { currentSession } from "@/auth/session";

export default async function Home() {
  const session = await currentSession();
  redirect(session?.user?.id && !session.error ? "/chat" : "/signin");
}
