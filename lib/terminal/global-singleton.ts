// server.ts runs lib/ through tsx while Next's server bundle has its own compiled copy of the
// same modules, so module-level state would exist twice. State that both must see (a token
// issued while rendering a page, checked by the upgrade handler) lives on globalThis.
export function getGlobalSingleton<T>(key: string, create: () => T): T {
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const symbol = Symbol.for(key);
  store[symbol] ??= create();
  return store[symbol];
}
