// Progress of `npm run db:copy` on stderr (stdout keeps the result: the summary table). On a
// terminal one line per collection is redrawn in place; anywhere else (a log file, CI, a test
// reading the pipe) plain lines are written now and then, since carriage returns there pile up.

const REDRAW_MS = 100;
const PLAIN_EVERY_MS = 2_000;
const BAR_WIDTH = 24;

export const formatCount = (n) => n.toLocaleString("en-US");

export function formatSeconds(seconds) {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, "0")}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/**
 * One collection's progress. `done` counts source documents now in the target (already there
 * from an earlier run, or copied now); the rate and ETA only count this run's work.
 * @param {{ name: string, total: number, done: number, width: number, stream?: NodeJS.WriteStream }} options
 */
export function startProgress({ name, total, done, width, stream = process.stderr }) {
  const tty = Boolean(stream.isTTY);
  const started = Date.now();
  const doneAtStart = done;
  let lastDraw = 0;
  let drawnOnce = false;

  const line = () => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? (done - doneAtStart) / seconds : 0;
    const fraction = total > 0 ? Math.min(done / total, 1) : 1;
    const eta = done >= total ? "0s" : rate > 0 ? formatSeconds((total - done) / rate) : "?";
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = tty ? ` [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]` : "";
    return `${name.padEnd(width)}${bar} ${formatCount(done)}/${formatCount(total)} ${Math.floor(fraction * 100)}% ${formatCount(Math.round(rate))} docs/s ETA ${eta}`;
  };
  const draw = (final) => {
    const now = Date.now();
    // The first plain line comes at once: it shows the copy is moving before the first interval.
    if (!final && drawnOnce && now - lastDraw < (tty ? REDRAW_MS : PLAIN_EVERY_MS)) return;
    lastDraw = now;
    drawnOnce = true;
    stream.write(tty ? `\r\x1b[2K${line()}${final ? "\n" : ""}` : `${line()}\n`);
  };

  return {
    /** @param {number} count source documents just copied or found already in the target */
    advance(count) {
      done += count;
      draw(false);
    },
    finish: () => draw(true),
    /** Leaves the cursor on a fresh line, so an error message does not overwrite the bar. */
    abandon: () => tty && drawnOnce && stream.write("\n"),
  };
}

/** @param {string[]} header @param {(string|number)[][]} rows first column left-aligned, the rest right-aligned */
export function formatTable(header, rows) {
  const cells = [header, ...rows.map((row) => row.map((cell) => (typeof cell === "number" ? formatCount(cell) : cell)))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => String(row[i]).length)));
  return cells.map((row) => row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join("  ").trimEnd()).join("\n");
}
