// Command carehq-fake runs a fake CareHQ API on this machine, for trying
// the SDK and its examples without an account. It serves service users as
// package carehqtest does, with fixed test credentials unless flags give
// others, and listens only on loopback addresses unless -allow-remote is
// given.
//
//	go run ./cmd/carehq-fake -service-users 200
//
// The first line it prints is the base URL; the lines after it are the
// credentials, as the environment variables carehq.NewFromEnv reads. It
// stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "carehq-fake:", err)
		os.Exit(1)
	}
}
