// Lets code blocks type into the page's terminal without knowing where it is.
const EVENT = "ica:run-in-terminal";

export function runInTerminal(command: string): void {
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: command }));
}

export function onRunInTerminal(handler: (command: string) => void): () => void {
  const listener = (e: Event) => handler((e as CustomEvent<string>).detail);
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
