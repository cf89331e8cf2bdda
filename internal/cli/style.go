package cli

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// isTTY reports whether w is a terminal; colour and progress bars only go to one.
func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

type style bool

func styler(color bool) style { return style(color) }

func (s style) wrap(code, x string) string {
	if !s {
		return x
	}
	return "\x1b[" + code + "m" + x + "\x1b[0m"
}
func (s style) bold(x string) string   { return s.wrap("1", x) }
func (s style) yellow(x string) string { return s.wrap("33", x) }
func (s style) green(x string) string  { return s.wrap("32", x) }
