// The room parts' shared look, matching the group panel and the settings.
export const primaryButton = "rounded-lg bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 disabled:opacity-50";
export const secondaryButton = "rounded-lg border border-line px-3 py-1.5 text-sm font-medium hover:bg-hover disabled:opacity-50";

export const memberCount = (count: number) => `${count} ${count === 1 ? "member" : "members"}`;
