import type { Metadata } from "next";
import { ChatScreen } from "@/components/chat/chat-screen";

export const metadata: Metadata = { title: "Chats" };

export default function ChatPage() {
  return <ChatScreen />;
}
