// The colour theme: "system" follows prefers-color-scheme; "light" and "dark" are a person's
// choice on this device. Kept in a cookie, so the server renders <html> with the right class
// and the first paint is already in the right colours.
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_COOKIE = "parley-theme";

export function parseTheme(value: string | undefined | null): Theme {
  return (THEMES as readonly string[]).includes(value ?? "") ? (value as Theme) : "system";
}

/** In the browser: applies the choice at once and remembers it for a year. */
export function applyTheme(theme: Theme) {
  const root = document.documentElement;
  root.classList.remove(...THEMES);
  root.classList.add(theme);
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=${60 * 60 * 24 * 365}; samesite=lax`;
}
