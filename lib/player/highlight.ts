import { bundledLanguages, codeToHtml } from "shiki";

/** HTML for a code block; unknown languages are shown as plain text. */
export async function highlightCode(code: string, lang: string): Promise<string> {
  const language = lang in bundledLanguages ? lang : "text";
  return codeToHtml(code, { lang: language, theme: "github-light" });
}
