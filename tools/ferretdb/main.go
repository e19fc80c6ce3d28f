// Command ferretdb runs FerretDB (MongoDB wire protocol) on top of SQLite, as an
// embedded database for development and tests. It uses the embeddable package
// rather than cmd/ferretdb because the latter panics when built from the module
// zip (build/version/version.txt is missing there).
//
// Protocol with the launcher (launch.mjs): exactly one line "ready <uri>" on
// stdout once the port is bound; all logs go to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	data := flag.String("data", ".data/db", "directory for SQLite files (created if missing)")
	memory := flag.Bool("memory", false, "keep data in memory only (the directory must still exist)")
	stdinWatch := flag.Bool("stdin-watch", false, "exit when stdin closes")
	// Default is error: at warn, FerretDB dumps the whole wire message of every
	// non-ok response (duplicate key, the driver's endSessions on close, ...) and
	// logs each client disconnect, which drowns real problems.
	var level slog.Level
	flag.TextVar(&level, "log-level", slog.LevelError, "log level: debug, info, warn or error")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger) // some code paths fall back to slog.Default()

	if err := run(logger, *listen, *data, *memory, *stdinWatch); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger, listen, data string, memory, stdinWatch bool) error {
	// The SQLite backend requires an existing directory with a
	// trailing slash; absolute avoids surprises when the launcher's cwd differs.
	dir, err := filepath.Abs(data)
	if err != nil {
		return err
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		return err
	}

	sqliteURL := "file:" + filepath.ToSlash(dir) + "/"
	if memory {
		sqliteURL += "?mode=memory"
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The launcher keeps our stdin open as a pipe; EOF means it died without
	// stopping us (e.g. SIGKILL), so shut down instead of lingering on the port.
	if stdinWatch {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// New() already bound the TCP socket, so clients can connect from now on
	// (the kernel queues them until Run's accept loop picks them up).
	fmt.Printf("ready %s\n", f.MongoDBURI())

	// Run returns after ctx is cancelled and all connections and SQLite files are closed.
	return <-done
}
