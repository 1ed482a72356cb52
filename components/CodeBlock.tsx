import { highlightCode } from "@/lib/player/highlight";
import { CodeActions } from "./CodeActions";

const SHELLS = new Set(["bash", "sh", "shell", "console", "text"]);

/** A highlighted code block (server-rendered with shiki) with Copy and, if runnable, Run. */
export async function CodeBlock({ code, lang, runnable }: { code: string; lang: string; runnable: boolean }) {
  const html = await highlightCode(code, lang);
  return (
    <div
      className="not-prose group relative my-3 overflow-hidden rounded-md border border-slate-200 text-[13px]"
      data-code-block={lang}
    >
      {/* room on the right for the buttons; shell commands wrap instead of running under them */}
      <div
        className={`overflow-x-auto [&_pre]:p-3 ${runnable ? "[&_pre]:pr-32" : "[&_pre]:pr-20"} ${
          SHELLS.has(lang) ? "[&_pre]:break-all [&_pre]:whitespace-pre-wrap" : ""
        }`}
        // biome-ignore lint/security/noDangerouslySetInnerHtml: shiki escapes the code it renders
        dangerouslySetInnerHTML={{ __html: html }}
      />
      <CodeActions code={code} runnable={runnable} />
    </div>
  );
}
