import { z } from "zod";
import { LoginPage } from "@/components/LoginPage";
import { readAccessConfig } from "@/lib/access/access-config";

export const dynamic = "force-dynamic";

const ZLoginQuery = z.object({
  secret: z.string().max(256).optional().catch(undefined),
  failed: z.string().optional(),
});

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const query = ZLoginQuery.parse(await searchParams);
  return (
    <LoginPage
      secret={query.secret}
      hasFailed={query.failed !== undefined}
      isLoginRequired={readAccessConfig().isLoginRequired}
    />
  );
}
