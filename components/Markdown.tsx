import type { ReactNode } from "react";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { CodeBlock } from "./CodeBlock";

/**
 * Scenario Markdown (GFM). A fenced block whose info string carries `run`
 * (```bash run) gets a "Run in terminal" action beside "Copy".
 */
export function Markdown({ source }: { source: string }) {
  return (
    <div className="prose prose-slate prose-sm max-w-none prose-pre:bg-transparent prose-pre:p-0 prose-code:before:content-none prose-code:after:content-none">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        components={{
          pre: ({ children }) => <>{children}</>,
          // the page has its own <h1>: the Markdown's headings sit one level below it
          h1: ({ children }) => <h2>{children}</h2>,
          h2: ({ children }) => <h3>{children}</h3>,
          h3: ({ children }) => <h4>{children}</h4>,
          code: ({ className, children, node }) => {
            const lang = /language-(\S+)/.exec(className ?? "")?.[1];
            const meta = (node?.data as { meta?: string } | undefined)?.meta ?? "";
            const text = textOf(children);
            const isBlock = lang !== undefined || text.includes("\n");
            if (!isBlock) return <code className="rounded bg-slate-100 px-1 py-0.5 text-[0.85em]">{children}</code>;
            return <CodeBlock code={text.replace(/\n$/, "")} lang={lang ?? "text"} runnable={/\brun\b/.test(meta)} />;
          },
        }}
      >
        {source}
      </ReactMarkdown>
    </div>
  );
}

function textOf(children: ReactNode): string {
  if (typeof children === "string") return children;
  if (Array.isArray(children)) return children.map(textOf).join("");
  return "";
}
