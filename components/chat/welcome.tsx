// What the main pane shows with no conversation open. Rendered on the server; its code is not in
// the page's first load (chat-app.tsx loads it with next/dynamic), which has a budget.
export function Welcome({ name }: { name: string }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center">
      <span className="flex h-16 w-16 items-center justify-center rounded-2xl bg-accent text-accent-fg shadow-lg">
        <svg width="30" height="30" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" aria-hidden>
          <path d="M4 5h16v11H9l-5 4V5z" />
        </svg>
      </span>
      <h1 className="text-lg font-semibold">Welcome to Parley, {name}</h1>
      <p className="max-w-sm text-sm text-muted">
        Pick a conversation, search your messages, or search for someone to start one. Your messages arrive in order, once, and you can see when they are read.
      </p>
    </div>
  );
}
