// The intro as the page shows it: the page already prints the title as its heading, so an intro
// that opens with the same title as `# Title` does not print it a second time.

export function introBody(markdown: string, title: string): string {
  const match = /^\s*#\s+(.+?)\s*#*\s*(?:\n|$)/.exec(markdown);
  if (!match || match[1].trim().toLowerCase() !== title.trim().toLowerCase()) return markdown;
  return markdown.slice(match[0].length).replace(/^\s*\n/, "");
}
