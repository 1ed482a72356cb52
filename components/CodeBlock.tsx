import { highlightCode } from "@/lib/player/highlight";
import { CodeActions } from "./CodeActions";

/** A highlighted code block (server-rendered with shiki) with Copy and, if runnable, Run. */
export async function CodeBlock({ code, lang, runnable }: { code: string; lang: string; runnable: boolean }) {
  const html = await highlightCode(code, lang);
  return (
    <div
      className="not-prose group relative my-3 overflow-hidden rounded-md border border-slate-200 text-[13px]"
      data-code-block={lang}
    >
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: shiki escapes the code it renders */}
      <div className="overflow-x-auto [&_pre]:p-3" dangerouslySetInnerHTML={{ __html: html }} />
      <CodeActions code={code} runnable={runnable} />
    </div>
  );
}
