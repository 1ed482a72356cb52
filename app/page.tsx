import { CatalogPage } from "@/components/CatalogPage";
import { getCatalogView } from "@/lib/player/catalog-view";

export const dynamic = "force-dynamic";

export default async function Home() {
  return <CatalogPage catalog={await getCatalogView()} />;
}
