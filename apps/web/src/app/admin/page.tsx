import { AdminOverview } from "@/components/admin/overview";

export default function AdminOverviewPage() {
  return <AdminOverview />;
}
