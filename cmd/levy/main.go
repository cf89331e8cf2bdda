// Command levy computes US import duties layer by layer, as of any date.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/levy-tariff/levy/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first interrupt asks the command to stop cleanly (batch keeps
		// an existing -o file, serve drains its requests); a second one
		// ends the process at once.
		<-ctx.Done()
		stop()
	}()
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
