/** Grey bubbles where the thread will be, while its history loads (announced as loading). */
export function ThreadSkeleton() {
  const widths = ["w-48", "w-64", "w-40", "w-72", "w-56", "w-36"];
  return (
    <div aria-hidden data-testid="thread-skeleton" className="mx-auto flex max-w-3xl animate-pulse flex-col gap-3 py-2">
      {widths.map((width, index) => (
        <div key={width} className={`h-10 rounded-2xl bg-line ${width} ${index % 3 === 1 ? "self-end" : ""}`} />
      ))}
      <span className="sr-only">Loading messages…</span>
    </div>
  );
}
